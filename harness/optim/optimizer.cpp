#include "optim/optimizer.h"

#include "spec/lr_rules.h"

#include <stdexcept>

namespace bsweep {

StackedOptimizer::StackedOptimizer(const std::vector<RunSpec>& runs, std::vector<torch::Tensor> params)
    : spec_(runs.front().optimizer), params_(std::move(params)) {
  std::vector<double> momentum;
  for (const auto& run : runs) {
    lr_.push_back(scaled_lr(run, plan_batches(run).batch_size));
    momentum.push_back(run.optimizer.momentum_if_any().value_or(0));
  }
  lr_tensor_ = per_replica(lr_);
  momentum_tensor_ = per_replica(momentum);
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

torch::Tensor StackedOptimizer::along_replicas(const torch::Tensor& values, const torch::Tensor& like) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
  shape[0] = values.size(0);
  return values.view(shape);
}

torch::Tensor StackedOptimizer::per_replica(const std::vector<double>& values) const {
  return torch::tensor(values, torch::kFloat64).to(params_.front().options().requires_grad(false));
}

torch::Tensor& StackedOptimizer::state(std::size_t slot, std::size_t i) {
  if (states_.size() <= slot) states_.resize(slot + 1, std::vector<torch::Tensor>(params_.size()));
  return states_[slot][i];
}

void StackedOptimizer::keep(const torch::Tensor& index, const std::vector<std::int64_t>& kept,
                            std::vector<torch::Tensor> new_params) {
  lr_tensor_ = lr_tensor_.index_select(0, index);
  momentum_tensor_ = momentum_tensor_.index_select(0, index);
  std::vector<double> lr;
  for (auto k : kept) lr.push_back(lr_[static_cast<std::size_t>(k)]);
  lr_ = lr;
  for (auto& slot : states_)
    for (auto& tensor : slot)
      if (tensor.defined()) tensor = tensor.index_select(0, index);
  params_ = std::move(new_params);
  shape_hyperparameters();
}

namespace {

const OptimizerMaker& maker_of(const std::string& name) {
  for (const auto& maker : optimizer_makers())
    if (name == maker.name) return maker;
  throw std::logic_error("no optimizer is built for " + name + " (optim/registry.cpp)");
}

}  // namespace

std::unique_ptr<SoloOptimizer> make_solo_optimizer(const OptimizerSpec& spec, double lr,
                                                   std::vector<torch::Tensor> params) {
  return maker_of(spec.name).solo(spec, lr, std::move(params));
}

std::unique_ptr<StackedOptimizer> make_stacked_optimizer(const std::vector<RunSpec>& runs,
                                                         std::vector<torch::Tensor> params) {
  return maker_of(runs.front().optimizer.name).stacked(runs, std::move(params));
}

}  // namespace bsweep
