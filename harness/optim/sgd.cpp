// SGD as torch.optim.SGD computes it (_single_tensor_sgd, dampening 0): weight decay added to the gradient, the
// momentum buffer a copy of the first direction, then buf * momentum + d; Nesterov steps along d + momentum * buf.
#include "optim/optimizer.h"

namespace bsweep {

namespace {

class SgdSolo : public SoloOptimizer {
 public:
  SgdSolo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params)
      : SoloOptimizer(spec, lr, std::move(params)),
        momentum_(spec.number("momentum")),
        weight_decay_(spec.number("weight_decay")),
        nesterov_(spec.flag("nesterov")),
        buffers_(params_.size()) {}

  void step(const std::vector<torch::Tensor>& grads) override {
    torch::NoGradGuard no_grad;
    ++steps_;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      torch::Tensor direction = grads[i];
      if (weight_decay_ != 0) direction = direction.add(params_[i], weight_decay_);
      if (momentum_ != 0) {
        auto& buffer = buffers_[i];
        if (!buffer.defined()) {
          buffer = direction.clone();
        } else {
          buffer.mul_(momentum_).add_(direction, 1);
        }
        direction = nesterov_ ? direction.add(buffer, momentum_) : buffer;
      }
      params_[i].add_(direction, -lr_);
    }
  }

 private:
  double momentum_, weight_decay_;
  bool nesterov_;
  std::vector<torch::Tensor> buffers_;
};

class SgdStacked : public StackedOptimizer {
 public:
  SgdStacked(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params)
      : StackedOptimizer(runs, std::move(params)),
        weight_decay_(spec_.number("weight_decay")),
        nesterov_(spec_.flag("nesterov")) {
    for (const auto& run : runs) has_momentum_ = has_momentum_ || run.optimizer.number("momentum") != 0;
  }

  void step(const std::vector<torch::Tensor>& grads) override {
    torch::NoGradGuard no_grad;
    ++steps_;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      torch::Tensor direction = grads[i];
      if (weight_decay_ != 0) direction = direction.add(params_[i], weight_decay_);
      if (has_momentum_) {  // torch skips the buffer at momentum 0; with it, buf * 0 + d is d exactly
        const auto& momentum = momentum_of_[i];
        auto& buffer = state(0, i);
        if (!buffer.defined()) {
          buffer = direction.clone();
        } else {
          buffer.mul_(momentum).add_(direction);
        }
        direction = nesterov_ ? direction.addcmul(buffer, momentum) : buffer;
      }
      params_[i].addcmul_(direction, neg_lr_of_[i]);
    }
  }

 private:
  double weight_decay_;
  bool nesterov_;
  bool has_momentum_ = false;
};

}  // namespace

std::unique_ptr<SoloOptimizer> make_sgd_solo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params) {
  return std::make_unique<SgdSolo>(spec, lr, std::move(params));
}

std::unique_ptr<StackedOptimizer> make_sgd_stacked(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params) {
  return std::make_unique<SgdStacked>(runs, std::move(params));
}

}  // namespace bsweep
