// AdamW as torch.optim.AdamW computes it (_single_tensor_adamw): each parameter first scaled by
// 1 - lr * weight_decay (the decay decoupled from the gradient), then Adam's step (adam.h). The parameters are
// independent of one another, so decaying them all before the step is torch's loop, parameter by parameter.
#include "optim/adam.h"

namespace bsweep {

namespace {

class AdamWSolo : public AdamSolo {
 public:
  AdamWSolo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params)
      : AdamSolo(spec, lr, std::move(params)), weight_decay_(spec.number("weight_decay")) {}

  void step(const std::vector<torch::Tensor>& grads) override {
    {
      torch::NoGradGuard no_grad;
      for (auto& param : params_) param.mul_(1 - lr_ * weight_decay_);
    }
    AdamSolo::step(grads);
  }

 private:
  double weight_decay_;
};

class AdamWStacked : public AdamStacked {
 public:
  AdamWStacked(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params)
      : AdamStacked(runs, std::move(params)), weight_decay_(spec_.number("weight_decay")) {}

  void step(const std::vector<torch::Tensor>& grads) override {
    {
      torch::NoGradGuard no_grad;
      std::vector<double> keep(lr_.size());  // 1 - lr * weight_decay per replica, in float64 as torch has it
      for (std::size_t k = 0; k < lr_.size(); ++k) keep[k] = 1 - lr_[k] * weight_decay_;
      const auto factors = per_replica(keep);
      for (auto& param : params_) param.mul_(along_replicas(factors, param));
    }
    AdamStacked::step(grads);
  }

 private:
  double weight_decay_;
};

}  // namespace

std::unique_ptr<SoloOptimizer> make_adamw_solo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params) {
  return std::make_unique<AdamWSolo>(spec, lr, std::move(params));
}

std::unique_ptr<StackedOptimizer> make_adamw_stacked(const std::vector<RunSpec>& runs,
                                                     std::vector<torch::Tensor> params) {
  return std::make_unique<AdamWStacked>(runs, std::move(params));
}

}  // namespace bsweep
