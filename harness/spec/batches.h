// How a training set is cut into batches, and how many optimizer steps a budget allows: the same arithmetic for
// the trainer, the planner and `bsweep list`.
#pragma once

#include "spec/spec.h"

#include <cstdint>

namespace bsweep {

struct BatchPlan {
  std::int64_t n_train = 0;
  std::int64_t batch_size = 0;  // effective: "full" and sizes above n become n
  std::int64_t iterations_per_epoch = 0;
};
BatchPlan plan_batches(std::int64_t n_train, const BatchSize& batch_size, bool drop_last);
// The plan of a run, from its task's training set size.
BatchPlan plan_batches(const RunSpec& run);
// Optimizer steps the budget allows: epochs × iterations per epoch, or the step count itself.
std::int64_t total_iterations(const BatchPlan& plan, const Budget& budget);

}  // namespace bsweep
