// The batched trainer: runs that differ only in seed, learning rate and momentum train as one program. Each
// replica draws its data, initial weights and permutations from its own stream, exactly as it would alone (train.h);
// the parameters of all replicas are stacked along a leading replica dimension and the forward pass is one batched
// matrix product per layer (baddbmm); the optimizers (SGD with momentum, Adam) are written out to follow
// torch.optim's arithmetic with each replica's own learning rate and momentum. Every run keeps its own curve,
// weights and status: a replica that diverges leaves the cohort, the others go on.
#pragma once

#include "results/run_result.h"
#include "spec/spec.h"
#include "train/train.h"

#include <vector>

namespace bsweep {

// The runs must agree on everything but seed, lr and optimizer momentum (plan/planner.h's cohort key) and not be
// shared-stream runs. One result per run, in order. A failure of the whole cohort (out of memory, say) is every
// run's status; the parent reruns such runs alone. `options[i]` belongs to `runs[i]`.
std::vector<TrainResult> train_cohort(const std::vector<RunSpec>& runs, const std::vector<TrainOptions>& options);

// The cost probe: trains `run` alone for min(200 steps, its budget) (not one epoch: a full-batch epoch is one
// step, whose time is mostly first-step set-up) and returns its time per step and memory readings.
TrainResult probe_alone(const RunSpec& run);

}  // namespace bsweep
