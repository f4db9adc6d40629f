// A task's training face: how its data is drawn, which model learns it, and which loss it minimises (LibTorch).
// What the task is (parameters, sizes, model shape) is its LibTorch-free face, tasks/task_kind.h.
#pragma once

#include "random/random_source.h"
#include "spec/spec.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <memory>

namespace bsweep {

// float64 on the CPU as drawn; the trainer moves it to the run's device and dtype once.
// Targets are float64 (n, 1) for regression and int64 (n) class labels for classification.
struct TaskData {
  torch::Tensor x_train, y_train, x_test, y_test;
};

class Task {
 public:
  virtual ~Task() = default;
  // Draws the train split, then the test split (the order is part of the algorithm in docs/training.md).
  virtual TaskData make_data(RandomSource& rng) const = 0;
  // A fresh float64 CPU model, initialised from `rng`, drawn after the data.
  virtual torch::nn::Sequential make_model(RandomSource& rng) const = 0;
  // The mean loss over a batch.
  virtual torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const = 0;
  // The same for a cohort trained together (train_cohort.h): output (R, B, outputs) and target (R, B, ...) hold
  // R replicas' batches; the result (R) is each replica's mean loss over its own batch.
  virtual torch::Tensor replica_losses(const torch::Tensor& output, const torch::Tensor& target) const = 0;
  // replica_losses() and its gradient with respect to `output` (the gradient of each replica's own mean loss),
  // written out: a cohort's step runs it instead of autograd.
  struct LossAndGradient {
    torch::Tensor losses, gradient;
  };
  virtual LossAndGradient replica_loss_and_gradient(const torch::Tensor& output, const torch::Tensor& target) const = 0;
};

// The training face of the run's task (tasks/registry.cpp).
std::unique_ptr<Task> make_task(const TaskSpec& spec);

// Fills layer `linear` with the PyTorch nn.Linear default distribution U(-k, k), k = 1/sqrt(in),
// drawing the weight (out x in, row-major) and then the bias from `rng`.
void init_uniform_fan_in(torch::nn::Linear& linear, RandomSource& rng);

}  // namespace bsweep
