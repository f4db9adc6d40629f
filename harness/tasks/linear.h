// linear: y = b + x·w + noise_std·ε, fitted by one linear layer under mean squared error.
#pragma once

#include "tasks/task.h"

#include <nlohmann/json.hpp>

namespace bsweep {

nlohmann::json resolve_linear_params(const nlohmann::json& params, const std::string& path);

class LinearTask final : public Task {
 public:
  explicit LinearTask(nlohmann::json params);
  TaskData make_data(RandomSource& rng) const override;
  torch::nn::Sequential make_model(RandomSource& rng) const override;
  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override;
  bool is_linear_model() const override { return true; }

 private:
  nlohmann::json params_;
};

}  // namespace bsweep
