// What a sweep shows while it runs: on a terminal, one live line (runs done / total, failures, what is running,
// elapsed time and an estimate of what is left) and a line for each failure; elsewhere, one line per finished
// run; with --quiet, a line for each failure only.
#pragma once

#include "spec/spec.h"
#include "results/run_result.h"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace bsweep {

class Progress {
 public:
  enum class Mode { live, lines, quiet };
  Progress(std::ostream& out, Mode mode, std::size_t total, std::size_t already_done, double total_cost);
  void started(const RunSpec& run);
  void finished(const RunSpec& run, const TrainResult& result, double cost);
  void tick();  // redraws the live line, at most a few times a second
  void done();  // ends the live line

  static Mode mode_for(bool quiet, bool terminal) { return quiet ? Mode::quiet : terminal ? Mode::live : Mode::lines; }

 private:
  void draw();
  std::ostream& out_;
  Mode mode_;
  std::size_t total_, done_, failed_ = 0;
  double total_cost_, done_cost_ = 0;
  std::vector<std::string> running_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_draw_{};
};

// One line for a finished run: id, task, batch size, lr, seed, status, final losses, seconds, error.
std::string summary_line(const RunSpec& run, const TrainResult& result);

}  // namespace bsweep
