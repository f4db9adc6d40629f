#include "probes/sharpness.h"

#include <torch/autograd.h>

#include <cmath>

namespace bsweep {
namespace {

// The parameters' shapes: a flat float64 vector cut back into them, in their dtype.
std::vector<torch::Tensor> unflatten(const torch::Tensor& flat, const std::vector<torch::Tensor>& like) {
  std::vector<torch::Tensor> out;
  std::int64_t at = 0;
  for (const auto& p : like) {
    out.push_back(flat.narrow(0, at, p.numel()).view(p.sizes()).to(p.dtype()));
    at += p.numel();
  }
  return out;
}

torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> flat;
  for (const auto& t : tensors) flat.push_back(t.reshape({-1}).to(torch::kFloat64));
  return torch::cat(flat);
}

double top_eigenvalue(const ProbedModel& model, const SharpnessConfig& config, RandomSource& rng,
                      SharpnessReading& reading) {
  std::int64_t size = 0;
  for (const auto& p : model.params) size += p.numel();
  auto v = rng.normal({size}).to(model.x.device());
  v = v / std::sqrt(squared_norm(v));
  const auto grads = torch::autograd::grad({model.loss()}, model.params, {}, /*retain_graph=*/true, /*create_graph=*/true);
  double lambda = 0;
  for (std::int64_t k = 1; k <= config.iterations; ++k) {
    const auto hv = flatten(torch::autograd::grad(grads, model.params, unflatten(v, model.params), /*retain_graph=*/true));
    lambda = v.dot(hv).item<double>();
    const double hv_norm = std::sqrt(squared_norm(hv));
    reading.iterations = k;
    reading.residual = hv_norm == 0 ? 0 : std::sqrt(squared_norm(hv - lambda * v)) / std::abs(lambda);
    if (hv_norm == 0 || reading.residual <= config.tolerance) {
      reading.converged = true;
      break;
    }
    v = hv / hv_norm;
  }
  return lambda;
}

// 100 (max f(w + d) - f(w)) / (1 + f(w)) over the box |d_i| <= epsilon (|w_i| + 1): signed-gradient ascent steps
// of a quarter of the box, projected back onto it.
double eps_sharpness(const ProbedModel& model, const SharpnessConfig& config) {
  std::vector<torch::Tensor> start, box, offset;
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : model.params) {
      start.push_back(p.detach().clone());
      box.push_back((p.detach().abs() + 1) * config.epsilon);
      offset.push_back(torch::zeros_like(p));
    }
  }
  const double f0 = model.loss().item<double>();
  double highest = f0;
  for (std::int64_t k = 0; k < config.ascent_steps; ++k) {
    const auto loss = model.loss();
    const auto grads = torch::autograd::grad({loss}, model.params);
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < model.params.size(); ++i) {
      offset[i] = torch::max(torch::min(offset[i] + 0.25 * box[i] * grads[i].sign(), box[i]), -box[i]);
      model.params[i].copy_(start[i] + offset[i]);
    }
    highest = std::max(highest, model.loss().item<double>());
  }
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < model.params.size(); ++i) model.params[i].copy_(start[i]);
  return 100 * (highest - f0) / (1 + f0);
}

}  // namespace

SharpnessReading measure_sharpness(const ProbedModel& model, const SharpnessConfig& config, RandomSource& rng) {
  SharpnessReading reading;
  reading.eigenvalue = top_eigenvalue(model, config, rng, reading);
  if (config.epsilon > 0) reading.eps_sharpness = eps_sharpness(model, config);
  return reading;
}

}  // namespace bsweep
