// The training loop: mini-batch gradient descent with per-epoch shuffling, as docs/training.md describes it.
#pragma once

#include "random/random_source.h"
#include "results/run_result.h"
#include "spec/spec.h"
#include "tasks/task.h"

#include <exception>
#include <memory>

namespace bsweep {

// A run has diverged when a loss is NaN or infinite, or when the training loss exceeds this many times
// the training loss before the first step.
inline constexpr double kDivergenceFactor = 1e6;

// A run that threw: status oom (out of memory) or error, and the message (LibTorch's without its backtrace).
TrainResult failed_result(const std::exception& error);

// The random stream a run draws from, and the data drawn first from it.
struct RunStream {
  std::unique_ptr<RandomSource> rng;
  TaskData data;
};
// Seeds the run's generator with its seed and draws its task's data.
RunStream open_stream(const RunSpec& run);

// What a run hands back besides its numbers.
struct TrainOptions {
  bool keep_data = false;  // a task with data in the plane: its training set, in TrainResult::data
};

// Trains one run from scratch on its own stream. Never throws for a run's own failure: that is a status
// and a message.
TrainResult train_run(const RunSpec& run, const TrainOptions& options = {});
// Trains one run continuing `stream` (its initial weights and permutations are drawn from it): a shared
// stream hands the same one to every run of the stream, in grid order.
TrainResult train_run(const RunSpec& run, RunStream& stream, const TrainOptions& options = {});

}  // namespace bsweep
