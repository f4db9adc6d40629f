#include "sweep/progress.h"

#include "results/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace bsweep {
namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long>(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string short_name(const RunSpec& run) {
  return fmt::format("{} bs={} seed={}", run.task.name, run.batch_size.label(), run.seed);
}

}  // namespace

std::string summary_line(const RunSpec& run, const TrainResult& result) {
  std::string line = fmt::format("{} {:>6} bs={:<5} lr={:<6g} seed={:<3} {}", run.id, run.task.name,
                                 run.batch_size.label(), run.lr, run.seed, result.status);
  if (!result.curve.empty()) {
    const auto& last = result.curve.back();
    line += fmt::format("  train_loss={:.4g}", last.train_loss);
    if (!std::isnan(last.test_loss)) line += fmt::format(" test_loss={:.4g}", last.test_loss);
  }
  line += fmt::format("  {:.2f}s", result.wall_s);
  if (!result.error.empty()) line += "  " + result.error;
  return line;
}

Progress::Progress(std::ostream& out, Mode mode, std::size_t total, std::size_t already_done, double total_cost)
    : out_(out), mode_(mode), total_(total), done_(already_done), total_cost_(total_cost) {}

void Progress::started(const RunSpec& run) { running_.push_back(short_name(run)); }

void Progress::finished(const RunSpec& run, const TrainResult& result, double cost) {
  running_.erase(std::remove(running_.begin(), running_.end(), short_name(run)), running_.end());
  ++done_;
  done_cost_ += cost;
  const bool failed = is_failure(result.status);
  failed_ += failed;
  if (mode_ == Mode::lines) out_ << fmt::format("[{}/{}] {}\n", done_, total_, summary_line(run, result)) << std::flush;
  // A failure is news in every mode, --quiet too ("nothing but errors").
  if (mode_ == Mode::quiet && failed) out_ << fmt::format("[{}/{}] {}\n", done_, total_, summary_line(run, result)) << std::flush;
  if (mode_ == Mode::live && result.status != RunStatus::ok) out_ << fmt::format("\r\033[K[{}/{}] {}\n", done_, total_, summary_line(run, result));
  if (mode_ == Mode::live) draw();
}

void Progress::tick() {
  if (mode_ != Mode::live) return;
  if (std::chrono::steady_clock::now() - last_draw_ < std::chrono::milliseconds(250)) return;
  draw();
}

void Progress::draw() {
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  // The estimate scales elapsed time by the expected cost still to come (steps x batch, see runner.cpp).
  std::string eta = "--:--";
  if (done_cost_ > 0) eta = clock_text(elapsed * std::max(0.0, total_cost_ - done_cost_) / done_cost_);
  std::string running;
  for (const auto& name : running_) running += (running.empty() ? "" : ", ") + name;
  std::string line = fmt::format("[{}/{}] {} failed · {} elapsed · ETA {} · {}", done_, total_, failed_,
                                 clock_text(elapsed), eta, running.empty() ? "-" : running);
  if (line.size() > 150) line = line.substr(0, 147) + "...";
  out_ << "\r\033[K" << line << std::flush;
}

void Progress::done() {
  if (mode_ == Mode::live) out_ << "\r\033[K" << std::flush;
}

}  // namespace bsweep
