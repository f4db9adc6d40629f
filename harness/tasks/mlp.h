// mlp: a multi-layer perceptron on a synthetic non-linear task.
//   data "teacher": regression on y = teacher(x) + noise, teacher a fixed random one-hidden-layer tanh net;
//   data "spirals": two interleaved spirals in the plane, classified with cross-entropy.
#pragma once

#include "tasks/task.h"

#include <nlohmann/json.hpp>

namespace bsweep {

nlohmann::json resolve_mlp_params(const nlohmann::json& params, const std::string& path);

class MlpTask final : public Task {
 public:
  explicit MlpTask(nlohmann::json params);
  TaskData make_data(RandomSource& rng) const override;
  torch::nn::Sequential make_model(RandomSource& rng) const override;
  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override;
  bool is_classifier() const override { return params_["data"] == "spirals"; }

 private:
  nlohmann::json params_;
};

}  // namespace bsweep
