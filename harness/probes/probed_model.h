// What a probe measures: a model's loss on its training set, as a function of its parameters (LibTorch). The
// probes take gradients, Hessian-vector products and losses on chosen samples through it and never touch the
// run's random stream or its optimizer.
#pragma once

#include "tasks/task.h"

#include <torch/types.h>

#include <functional>
#include <vector>

namespace bsweep {

struct ProbedModel {
  std::function<torch::Tensor(const torch::Tensor&)> forward;
  const Task* task = nullptr;
  std::vector<torch::Tensor> params;  // in the model's order; the probes leave them as they found them
  torch::Tensor x, y;                 // the training set, on the run's device and in its dtype

  std::int64_t samples() const { return x.size(0); }
  // The mean loss over the samples at `index` (int64 on the device), or over all when `index` is undefined.
  torch::Tensor loss(const torch::Tensor& index = {}) const;
  // The gradient of that loss, every parameter's flattened and concatenated, in float64.
  torch::Tensor gradient(const torch::Tensor& index = {}) const;
};

// Squared Euclidean norm as a double.
double squared_norm(const torch::Tensor& vector);

}  // namespace bsweep
