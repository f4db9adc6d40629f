#include "train/train_optimizers.h"

#include "spec/lr_rules.h"

#include <torch/utils.h>

#include <cmath>

namespace bsweep {

namespace {

constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;  // torch.optim.Adam's defaults

// `values` (one per replica) shaped to broadcast over `like` (replica dimension first).
torch::Tensor along_replicas(const torch::Tensor& values, const torch::Tensor& like) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
  shape[0] = values.size(0);
  return values.view(shape);
}

}  // namespace

SoloOptimizer::SoloOptimizer(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params)
    : adam_(spec.name == "adam"),
      lr_(lr),
      momentum_(spec.momentum),
      params_(std::move(params)),
      state_a_(params_.size()),
      state_b_(params_.size()) {}

void SoloOptimizer::step(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  ++steps_;
  if (adam_) {
    // torch.optim.Adam (_single_tensor_adam): the moments, then the bias-corrected step.
    const double bias_correction1 = 1 - std::pow(kBeta1, static_cast<double>(steps_));
    const double bias_correction2 = 1 - std::pow(kBeta2, static_cast<double>(steps_));
    const double step_size = lr_ / bias_correction1;
    const double bias_correction2_sqrt = std::sqrt(bias_correction2);
    for (std::size_t i = 0; i < params_.size(); ++i) {
      auto& exp_avg = state_a_[i];
      auto& exp_avg_sq = state_b_[i];
      if (!exp_avg.defined()) exp_avg = torch::zeros_like(params_[i]), exp_avg_sq = torch::zeros_like(params_[i]);
      exp_avg.mul_(kBeta1).add_(grads[i], 1 - kBeta1);
      exp_avg_sq.mul_(kBeta2).addcmul_(grads[i], grads[i], 1 - kBeta2);
      const auto denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(kEps);
      params_[i].addcdiv_(exp_avg, denom, -step_size);
    }
    return;
  }
  // torch.optim.SGD (_single_tensor_sgd): the momentum buffer starts as a copy of the first gradient.
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const torch::Tensor* direction = &grads[i];
    if (momentum_ != 0) {
      auto& buffer = state_a_[i];
      if (!buffer.defined()) {
        buffer = grads[i].clone();
      } else {
        buffer.mul_(momentum_).add_(grads[i], 1);
      }
      direction = &buffer;
    }
    params_[i].add_(*direction, -lr_);
  }
}

StackedOptimizer::StackedOptimizer(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params)
    : adam_(runs.front().optimizer.name == "adam"), params_(std::move(params)) {
  std::vector<double> momentum;
  for (const auto& run : runs) {
    lr_.push_back(scaled_lr(run, plan_batches(run).batch_size));
    momentum.push_back(run.optimizer.momentum);
    has_momentum_ = has_momentum_ || run.optimizer.momentum != 0;
  }
  const auto options = params_.front().options().requires_grad(false);
  lr_tensor_ = torch::tensor(lr_, torch::kFloat64).to(options);
  momentum_tensor_ = torch::tensor(momentum, torch::kFloat64).to(options);
  state_a_.resize(params_.size());
  state_b_.resize(params_.size());
  shape_hyperparameters();
}

void StackedOptimizer::shape_hyperparameters() {
  neg_lr_of_.clear();
  momentum_of_.clear();
  for (const auto& p : params_) {
    neg_lr_of_.push_back(along_replicas(-lr_tensor_, p));
    momentum_of_.push_back(along_replicas(momentum_tensor_, p));
  }
}

void StackedOptimizer::step(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  ++steps_;
  if (adam_) {
    const double bias_correction1 = 1 - std::pow(kBeta1, static_cast<double>(steps_));
    const double bias_correction2_sqrt = std::sqrt(1 - std::pow(kBeta2, static_cast<double>(steps_)));
    // -lr / bias_correction1 per replica, computed in float64 as torch computes its step_size.
    std::vector<double> neg_step(lr_.size());
    for (std::size_t k = 0; k < lr_.size(); ++k) neg_step[k] = -(lr_[k] / bias_correction1);
    const auto neg_steps = torch::tensor(neg_step, torch::kFloat64).to(params_.front().options().requires_grad(false));
    for (std::size_t i = 0; i < params_.size(); ++i) {
      auto& exp_avg = state_a_[i];
      auto& exp_avg_sq = state_b_[i];
      if (!exp_avg.defined()) exp_avg = torch::zeros_like(params_[i]), exp_avg_sq = torch::zeros_like(params_[i]);
      exp_avg.mul_(kBeta1).add_(grads[i], 1 - kBeta1);
      exp_avg_sq.mul_(kBeta2).addcmul_(grads[i], grads[i], 1 - kBeta2);
      const auto denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(kEps);
      params_[i].addcmul_(exp_avg / denom, along_replicas(neg_steps, params_[i]));
    }
    return;
  }
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const torch::Tensor* direction = &grads[i];
    if (has_momentum_) {  // torch skips the buffer at momentum 0; with it, buf * 0 + g is g exactly
      auto& buffer = state_a_[i];
      if (!buffer.defined()) {
        buffer = grads[i].clone();
      } else {
        buffer.mul_(momentum_of_[i]).add_(grads[i]);
      }
      direction = &buffer;
    }
    params_[i].addcmul_(*direction, neg_lr_of_[i]);
  }
}

void StackedOptimizer::keep(const torch::Tensor& index, const std::vector<std::int64_t>& kept,
                            std::vector<torch::Tensor> new_params) {
  lr_tensor_ = lr_tensor_.index_select(0, index);
  momentum_tensor_ = momentum_tensor_.index_select(0, index);
  std::vector<double> lr;
  for (auto k : kept) lr.push_back(lr_[static_cast<std::size_t>(k)]);
  lr_ = lr;
  for (auto* states : {&state_a_, &state_b_})
    for (auto& state : *states)
      if (state.defined()) state = state.index_select(0, index);
  params_ = std::move(new_params);
  shape_hyperparameters();
}

}  // namespace bsweep
