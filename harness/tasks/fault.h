// fault: a linear task that misbehaves on purpose while building its model, so the tests can check that a
// sweep survives it. Only available when the environment sets BSWEEP_ENABLE_FAULT_TASK=1.
//   mode "abort": calls std::abort();  "allocate": allocates and touches `bytes` bytes of tensors;
//   "sleep": sleeps `seconds`;  "exit": exits the process with status 3 without a word.
#pragma once

#include "tasks/linear.h"

namespace bsweep {

bool fault_task_enabled();
nlohmann::json resolve_fault_params(const nlohmann::json& params, const std::string& path);

class FaultTask final : public Task {
 public:
  explicit FaultTask(nlohmann::json params);
  TaskData make_data(RandomSource& rng) const override { return linear_.make_data(rng); }
  torch::nn::Sequential make_model(RandomSource& rng) const override;
  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override {
    return linear_.loss(output, target);
  }
  bool is_linear_model() const override { return true; }

 private:
  nlohmann::json params_;
  LinearTask linear_;
};

}  // namespace bsweep
