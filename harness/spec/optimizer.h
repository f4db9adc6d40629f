// The optimizers a grid may name, each described once: how the grid spells it, its hyperparameters, how a run's
// config and results show it. The trainer (train.cpp) builds the LibTorch optimizer from an OptimizerSpec.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bsweep {

struct OptimizerSpec {
  std::string name = "sgd";  // one of optimizer_names()
  double momentum = 0.0;     // sgd only

  // In a run's config (and so in its id): {"name": "sgd", "momentum": m} or {"name": "adam"}.
  nlohmann::json config() const;
  // Short, for listings: "sgd", "sgd/0.9", "adam".
  std::string label() const;
  // The momentum, for optimizers that have one.
  std::optional<double> momentum_if_any() const;
};

std::vector<std::string> optimizer_names();

// A grid's "optimizer" value: "sgd", "adam" or an object {"name": ..., hyperparameters}; InputError names `path`.
OptimizerSpec read_optimizer(const nlohmann::json& value, const std::string& path);

}  // namespace bsweep
