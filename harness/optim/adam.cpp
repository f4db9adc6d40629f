#include "optim/adam.h"

#include <cmath>

namespace bsweep {

AdamSolo::AdamSolo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params)
    : SoloOptimizer(spec, lr, std::move(params)),
      beta1_(spec.options.at("betas")[0].get<double>()),
      beta2_(spec.options.at("betas")[1].get<double>()),
      eps_(spec.number("eps")),
      exp_avg_(params_.size()),
      exp_avg_sq_(params_.size()) {}

void AdamSolo::step(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double bias_correction1 = 1 - std::pow(beta1_, static_cast<double>(steps_));
  const double bias_correction2 = 1 - std::pow(beta2_, static_cast<double>(steps_));
  const double step_size = lr_ / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    auto& exp_avg = exp_avg_[i];
    auto& exp_avg_sq = exp_avg_sq_[i];
    if (!exp_avg.defined()) exp_avg = torch::zeros_like(params_[i]), exp_avg_sq = torch::zeros_like(params_[i]);
    exp_avg.mul_(beta1_).add_(grads[i], 1 - beta1_);
    exp_avg_sq.mul_(beta2_).addcmul_(grads[i], grads[i], 1 - beta2_);
    const auto denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps_);
    params_[i].addcdiv_(exp_avg, denom, -step_size);
  }
}

AdamStacked::AdamStacked(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params)
    : StackedOptimizer(runs, std::move(params)),
      beta1_(spec_.options.at("betas")[0].get<double>()),
      beta2_(spec_.options.at("betas")[1].get<double>()),
      eps_(spec_.number("eps")) {}

void AdamStacked::step(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double bias_correction1 = 1 - std::pow(beta1_, static_cast<double>(steps_));
  const double bias_correction2_sqrt = std::sqrt(1 - std::pow(beta2_, static_cast<double>(steps_)));
  // -lr / bias_correction1 per replica, computed in float64 as torch computes its step_size.
  std::vector<double> neg_step(lr_.size());
  for (std::size_t k = 0; k < lr_.size(); ++k) neg_step[k] = -(lr_[k] / bias_correction1);
  const auto neg_steps = per_replica(neg_step);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    auto& exp_avg = state(0, i);
    auto& exp_avg_sq = state(1, i);
    if (!exp_avg.defined()) exp_avg = torch::zeros_like(params_[i]), exp_avg_sq = torch::zeros_like(params_[i]);
    exp_avg.mul_(beta1_).add_(grads[i], 1 - beta1_);
    exp_avg_sq.mul_(beta2_).addcmul_(grads[i], grads[i], 1 - beta2_);
    const auto denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps_);
    params_[i].addcmul_(exp_avg / denom, along_replicas(neg_steps, params_[i]));
  }
}

std::unique_ptr<SoloOptimizer> make_adam_solo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params) {
  return std::make_unique<AdamSolo>(spec, lr, std::move(params));
}

std::unique_ptr<StackedOptimizer> make_adam_stacked(const std::vector<RunSpec>& runs,
                                                    std::vector<torch::Tensor> params) {
  return std::make_unique<AdamStacked>(runs, std::move(params));
}

}  // namespace bsweep
