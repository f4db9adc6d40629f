// Runs the runs of a sweep and records each as it finishes. A rerun into the same folder skips the runs
// already recorded there (by run id).
#pragma once

#include "spec.h"

#include <ostream>
#include <string>

namespace bsweep {

struct RunnerOptions {
  std::string grid_file;
  std::string out_dir;
  int threads = 0;     // intra-op threads; 0 keeps LibTorch's default
  bool force = false;  // replace results of a different grid
  bool quiet = false;
};

struct SweepOutcome {
  std::size_t total = 0, skipped = 0, ran = 0, failed = 0;
};

// Bad input (including a folder that holds another grid's results) throws InputError before anything is written.
SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log);

// The folder `bsweep run GRID` writes to without -o: results/<grid name>.
std::string default_results_dir(const SweepSpec& spec);

}  // namespace bsweep
