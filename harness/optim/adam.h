// Adam as torch.optim.Adam computes it (_single_tensor_adam): the moments, then the bias-corrected step. AdamW
// (adamw.cpp) is this step after its decoupled weight decay.
#pragma once

#include "optim/optimizer.h"

namespace bsweep {

class AdamSolo : public SoloOptimizer {
 public:
  AdamSolo(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params);
  void step(const std::vector<torch::Tensor>& grads) override;

 private:
  double beta1_, beta2_, eps_;
  std::vector<torch::Tensor> exp_avg_, exp_avg_sq_;
};

class AdamStacked : public StackedOptimizer {
 public:
  AdamStacked(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params);
  void step(const std::vector<torch::Tensor>& grads) override;

 private:
  double beta1_, beta2_, eps_;
};

}  // namespace bsweep
