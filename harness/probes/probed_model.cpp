#include "probes/probed_model.h"

#include <torch/autograd.h>

namespace bsweep {

torch::Tensor ProbedModel::loss(const torch::Tensor& index) const {
  if (!index.defined()) return task->loss(forward(x), y);
  return task->loss(forward(x.index_select(0, index)), y.index_select(0, index));
}

torch::Tensor ProbedModel::gradient(const torch::Tensor& index) const {
  const auto grads = torch::autograd::grad({loss(index)}, params);
  std::vector<torch::Tensor> flat;
  for (const auto& g : grads) flat.push_back(g.reshape({-1}).to(torch::kFloat64));
  return torch::cat(flat);
}

double squared_norm(const torch::Tensor& vector) { return vector.dot(vector).item<double>(); }

}  // namespace bsweep
