#include "spec/lr_rules.h"

#include <algorithm>
#include <cmath>

namespace bsweep {

double scaled_lr(const RunSpec& run, std::int64_t batch_size) {
  const auto& scaling = run.lr_scaling;
  if (scaling.rule == "linear")
    return run.lr * static_cast<double>(batch_size) / static_cast<double>(scaling.base_batch);
  if (scaling.rule == "sqrt")
    return run.lr * std::sqrt(static_cast<double>(batch_size) / static_cast<double>(scaling.base_batch));
  return run.lr;
}

std::int64_t warmup_steps(const RunSpec& run, const BatchPlan& plan) {
  if (run.warmup_epochs <= 0) return 0;
  const double steps = std::floor(run.warmup_epochs * static_cast<double>(plan.iterations_per_epoch) + 0.5);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(steps));
}

double lr_at_step(double peak, std::int64_t warmup, std::int64_t step) {
  if (step >= warmup) return peak;
  return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
}

}  // namespace bsweep
