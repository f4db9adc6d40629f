// The optimizers the trainers step, written out so that a step allocates and looks up nothing it need not:
// SGD (dampening 0, no Nesterov, no weight decay) and Adam (betas 0.9, 0.999, eps 1e-8), as torch.optim has them.
//  - SoloOptimizer: one run; the same tensor operations in the same order as torch.optim's single-tensor
//    implementation, so the numbers are PyTorch's bit for bit.
//  - StackedOptimizer: a cohort's parameters with a leading replica dimension and each replica's learning rate
//    and momentum as tensors; where torch fuses p + alpha * d into one rounding it rounds twice, which is the
//    whole difference (docs/reliability.md, "Cohorts").
#pragma once

#include "spec/optimizer.h"
#include "spec/spec.h"

#include <torch/types.h>

#include <vector>

namespace bsweep {

class SoloOptimizer {
 public:
  SoloOptimizer(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params);
  // One step from `grads` (one per parameter, in order); updates the parameters in place.
  void step(const std::vector<torch::Tensor>& grads);
  // The learning rate of the next steps (a warmup changes it every step).
  void set_lr(double lr) { lr_ = lr; }

 private:
  bool adam_;
  double lr_, momentum_;
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> state_a_, state_b_;  // SGD: momentum buffers; Adam: exp_avg, exp_avg_sq
  std::int64_t steps_ = 0;
};

class StackedOptimizer {
 public:
  // runs[k] is replica k; they share the optimizer's name. params: stacked, replica dimension first.
  StackedOptimizer(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params);
  void step(const std::vector<torch::Tensor>& grads);
  // Keeps the replicas at rows `kept` (and `index`, the same on the device) with their state; new_params are the
  // parameters cut down the same way.
  void keep(const torch::Tensor& index, const std::vector<std::int64_t>& kept, std::vector<torch::Tensor> new_params);

 private:
  void shape_hyperparameters();  // per-parameter views of lr and momentum that broadcast over the parameter

  bool adam_;
  bool has_momentum_ = false;
  std::vector<double> lr_;
  torch::Tensor lr_tensor_, momentum_tensor_;
  std::vector<torch::Tensor> params_, neg_lr_of_, momentum_of_;
  std::vector<torch::Tensor> state_a_, state_b_;
  std::int64_t steps_ = 0;
};

}  // namespace bsweep
