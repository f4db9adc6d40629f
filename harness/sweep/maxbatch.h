// `bsweep maxbatch`: for each task, dtype and device of a grid, the largest batch size whose training fits a memory
// budget (the --max-memory cap on the CPU, the GPU's own memory on CUDA). Every attempt is a real training of a few
// steps, evaluation included, in a worker process of its own (a one-run sweep through the runner); the sizes are
// found by doubling, then bisection; the size found is then verified by training a whole epoch under the same
// budget (stepping down where that fails), and reported with a safety margin below it. LibTorch-free.
#pragma once

#include "spec/spec.h"

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bsweep {

struct MaxBatchOptions {
  std::string out_dir;          // attempts go to OUT/attempts/, the summary to OUT/maxbatch.csv; OUT is locked
  std::int64_t max_memory = 0;  // bytes per worker process (0: none)
  std::int64_t max_tensor_bytes = 0;  // live CPU tensor bytes per worker (0: none); one of the two on the CPU
  std::int64_t steps = 5;       // optimizer steps of each attempt
  double margin = 0.1;          // the recommended size is the verified one times (1 - margin), rounded down
  int threads = 1;
  bool quiet = false;
};

struct MaxBatchResult {
  std::string task, dtype, device;
  std::int64_t n_train = 0;
  std::int64_t largest = 0;      // the largest batch whose `steps` steps fit (0: not even batch 1)
  std::int64_t verified = 0;     // the largest that then trained a whole epoch (0: none)
  std::int64_t recommended = 0;  // verified x (1 - margin), at least 1 where verified > 0
  bool whole_set = false;        // the whole training set fits: the budget is no limit for this task
  std::size_t attempts = 0;
  std::string failure;           // the status that marked "too big" at the boundary, e.g. "oom"
  std::string error;             // where nothing fits: the last failed attempt's error
};

// Ctrl-C or SIGTERM during a search: it stops, writes no maxbatch.csv, and the command exits 130.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One result per task x dtype x device, in grid order. The grid's first optimizer, lr, seed and generator are used.
// InputError for a CPU device without a memory cap; ResourceError where the folder cannot be written.
std::vector<MaxBatchResult> find_max_batches(const SweepSpec& spec, const MaxBatchOptions& options, std::ostream& log);

// The summary as a Markdown table, and as the CSV written to OUT/maxbatch.csv.
std::string format_max_batches(const std::vector<MaxBatchResult>& results, const MaxBatchOptions& options);
std::string max_batches_csv(const std::vector<MaxBatchResult>& results, const MaxBatchOptions& options);

}  // namespace bsweep
