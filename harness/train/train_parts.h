// Pieces both trainers use (train.cpp trains one run alone, train_cohort.cpp a cohort together), so that a run's
// numbers mean the same whichever trained it.
#pragma once

#include "results/run_result.h"
#include "tasks/task.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <memory>

#include <string>
#include <vector>

namespace bsweep {

torch::Dtype to_dtype(const std::string& name);

// A model's forward pass without Sequential's type-erased dispatch (a few microseconds a step at batch 1): linear
// layers call the function nn::Linear's forward calls, other modules their own forward. The same numbers.
class DirectForward {
 public:
  explicit DirectForward(torch::nn::Sequential& model);
  torch::Tensor operator()(torch::Tensor x);

 private:
  struct Layer {
    std::shared_ptr<torch::nn::LinearImpl> linear;  // or
    torch::nn::AnyModule other;
  };
  std::vector<Layer> layers_;
};

// A tensor's values as float64, row-major.
std::vector<double> to_vector(const torch::Tensor& tensor);

// Least squares on [X, 1] in float64: what gradient descent on the linear task converges to.
std::vector<double> least_squares(const TaskData& data);

// A run is healthy at a curve point when its losses are finite and the training loss has not grown past
// kDivergenceFactor times its start (train.h).
bool healthy_point(const std::vector<CurvePoint>& curve, bool has_test);

// The error of a run that diverged at its last curve point.
std::string divergence_message(const TrainResult& result);

}  // namespace bsweep
