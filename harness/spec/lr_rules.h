// The learning rate a run trains with, step by step: the grid's lr scaled with the batch size (lr_scaling), then a
// linear warmup (warmup_epochs). Plain arithmetic, the same in the trainer, runs.csv's lr_used and
// tools/reference.py (docs/training.md).
#pragma once

#include "spec/batches.h"
#include "spec/spec.h"

#include <cstdint>

namespace bsweep {

// lr after lr_scaling at effective batch size `batch_size`: lr, lr x B / base_batch, or lr x sqrt(B / base_batch).
double scaled_lr(const RunSpec& run, std::int64_t batch_size);

// Steps of warmup: 0 without it, else max(1, round(warmup_epochs x iterations per epoch)), halves rounded up.
std::int64_t warmup_steps(const RunSpec& run, const BatchPlan& plan);

// The learning rate of step `step` (0 for the first): peak x (step + 1) / warmup during warmup, then peak.
double lr_at_step(double peak, std::int64_t warmup, std::int64_t step);

}  // namespace bsweep
