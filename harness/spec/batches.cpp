#include "spec/batches.h"

#include <algorithm>

namespace bsweep {

BatchPlan plan_batches(std::int64_t n_train, const BatchSize& batch_size, bool drop_last) {
  BatchPlan plan;
  plan.n_train = n_train;
  plan.batch_size = batch_size.is_full() ? n_train : std::min(*batch_size.size, n_train);
  plan.iterations_per_epoch =
      drop_last ? n_train / plan.batch_size : (n_train + plan.batch_size - 1) / plan.batch_size;
  return plan;
}

BatchPlan plan_batches(const RunSpec& run) {
  return plan_batches(run.task.train_size(), run.batch_size, run.drop_last);
}

std::int64_t total_iterations(const BatchPlan& plan, const Budget& budget) {
  return budget.kind == Budget::Kind::epochs ? budget.value * plan.iterations_per_epoch : budget.value;
}

}  // namespace bsweep
