// The optimizers the trainers step, one file each (sgd.cpp, adam.cpp, adamw.cpp), written out so that a step
// allocates and looks up nothing it need not, and built by name from the list in registry.cpp. Their options are
// declared, with their ranges and defaults, in spec/optimizer.cpp.
//  - SoloOptimizer: one run; the same tensor operations in the same order as torch.optim's single-tensor
//    implementation, so the numbers are PyTorch's bit for bit.
//  - StackedOptimizer: a cohort's parameters with a leading replica dimension and each replica's learning rate
//    and momentum as tensors; where torch fuses p + alpha * d into one rounding it rounds twice, which is the
//    whole difference (docs/reliability.md, "Cohorts"). The replicas share every other option (the planner's
//    cohort key).
#pragma once

#include "spec/optimizer.h"
#include "spec/spec.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace bsweep {

class SoloOptimizer {
 public:
  SoloOptimizer(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params)
      : spec_(spec), lr_(lr), params_(std::move(params)) {}
  virtual ~SoloOptimizer() = default;
  // One step from `grads` (one per parameter, in order); updates the parameters in place.
  virtual void step(const std::vector<torch::Tensor>& grads) = 0;
  // The learning rate of the next steps (a warmup changes it every step).
  void set_lr(double lr) { lr_ = lr; }

 protected:
  OptimizerSpec spec_;
  double lr_;
  std::vector<torch::Tensor> params_;
  std::int64_t steps_ = 0;
};

class StackedOptimizer {
 public:
  // runs[k] is replica k; they share the optimizer and its options but lr and momentum. params: stacked,
  // replica dimension first.
  StackedOptimizer(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params);
  virtual ~StackedOptimizer() = default;
  virtual void step(const std::vector<torch::Tensor>& grads) = 0;
  // Keeps the replicas at rows `kept` (and `index`, the same on the device) with their state; new_params are the
  // parameters cut down the same way.
  void keep(const torch::Tensor& index, const std::vector<std::int64_t>& kept, std::vector<torch::Tensor> new_params);

 protected:
  // `values` (one per replica) shaped to broadcast over `like` (replica dimension first).
  static torch::Tensor along_replicas(const torch::Tensor& values, const torch::Tensor& like);
  // A tensor of one value per replica, in the parameters' dtype and device.
  torch::Tensor per_replica(const std::vector<double>& values) const;
  // The state tensor `slot` of parameter i (0, 1, ...: each optimizer's own), cut with the replicas.
  torch::Tensor& state(std::size_t slot, std::size_t i);

  OptimizerSpec spec_;  // the first replica's: every option but momentum is the same for all
  std::vector<double> lr_;
  torch::Tensor lr_tensor_, momentum_tensor_;  // one value per replica
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> neg_lr_of_, momentum_of_;  // by parameter: -lr and momentum shaped to broadcast over it
  std::int64_t steps_ = 0;

 private:
  void shape_hyperparameters();
  std::vector<std::vector<torch::Tensor>> states_;  // by slot, by parameter
};

// An optimizer as registry.cpp lists it: a name of spec/optimizer.cpp's and how to build each face.
struct OptimizerMaker {
  const char* name;
  std::unique_ptr<SoloOptimizer> (*solo)(const OptimizerSpec& spec, double lr, std::vector<torch::Tensor> params);
  std::unique_ptr<StackedOptimizer> (*stacked)(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params);
};
const std::vector<OptimizerMaker>& optimizer_makers();

std::unique_ptr<SoloOptimizer> make_solo_optimizer(const OptimizerSpec& spec, double lr,
                                                   std::vector<torch::Tensor> params);
std::unique_ptr<StackedOptimizer> make_stacked_optimizer(const std::vector<RunSpec>& runs,
                                                         std::vector<torch::Tensor> params);

// Each optimizer's file defines its two makers (sgd.cpp: make_sgd_solo, make_sgd_stacked; ...).
#define BSWEEP_DECLARE_OPTIMIZER(name)                                                                          \
  std::unique_ptr<SoloOptimizer> make_##name##_solo(const OptimizerSpec& spec, double lr,                      \
                                                    std::vector<torch::Tensor> params);                        \
  std::unique_ptr<StackedOptimizer> make_##name##_stacked(const std::vector<RunSpec>& runs,                    \
                                                          std::vector<torch::Tensor> params);

}  // namespace bsweep
