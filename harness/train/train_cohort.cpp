#include "train/train_cohort.h"

#include "probes/memory.h"

#include "spec/batches.h"
#include "probes/clock.h"
#include "probes/device.h"
#include "random/random_source.h"
#include "optim/optimizer.h"
#include "train/train_parts.h"

#include <torch/autograd.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace bsweep {

namespace {

// The first two dimensions (replica, sample) of `t` as one, the rows `index` picked, and back.
torch::Tensor take_rows(const torch::Tensor& t, const torch::Tensor& index) {
  if (t.size(1) == 0) return t;
  auto shape = t.sizes().vec();
  shape[0] = index.numel() / t.size(1);
  return t.flatten(0, 1).index_select(0, index).view(shape);
}

// The replicas' models as one: each Linear layer's weight (R, out, in) and bias (R, out) stacked from the
// replicas' own models; a module without parameters (an activation) works on (R, B, features) as it is.
class StackedModel {
 public:
  StackedModel(std::vector<torch::nn::Sequential>& models, torch::Device device, torch::Dtype dtype) {
    auto& first = models.front();
    for (std::size_t i = 0; i < first->size(); ++i) {
      Layer layer;
      layer.activation = Activation::none;
      layer.module = *(first->begin() + static_cast<std::ptrdiff_t>(i));
      const auto name = first->named_children()[i].key();
      if (std::dynamic_pointer_cast<torch::nn::LinearImpl>(first->ptr(i))) {
        std::vector<torch::Tensor> weights, biases;
        for (auto& model : models) {
          const auto replica = model->ptr<torch::nn::LinearImpl>(i);
          weights.push_back(replica->weight.detach());
          if (replica->bias.defined()) biases.push_back(replica->bias.detach());
        }
        layer.weight = torch::stack(weights).to(device, dtype).requires_grad_(true);
        names_.push_back(name + ".weight");
        if (!biases.empty()) {
          layer.bias = torch::stack(biases).to(device, dtype).requires_grad_(true);
          names_.push_back(name + ".bias");
        }
      } else if (std::dynamic_pointer_cast<torch::nn::TanhImpl>(first->ptr(i))) {
        layer.activation = Activation::tanh;
      } else if (std::dynamic_pointer_cast<torch::nn::ReLUImpl>(first->ptr(i))) {
        layer.activation = Activation::relu;
      } else if (!layer.module.ptr()->parameters().empty()) {
        throw std::invalid_argument(fmt::format("layer {} of this task's model has parameters but is not a linear "
                                                "layer: it cannot train in a cohort",
                                                name));
      }
      manual_backward_ = manual_backward_ && (layer.weight.defined() || layer.activation != Activation::other);
      layers_.push_back(std::move(layer));
    }
  }

  // Whether backward() can take the gradient through every layer (linear layers, tanh, ReLU); otherwise autograd.
  bool manual_backward() const { return manual_backward_; }

  // forward(), keeping what backward() needs; no autograd graph.
  torch::Tensor forward_saving(torch::Tensor x) {
    torch::NoGradGuard no_grad;
    saved_.clear();
    for (const auto& layer : layers_) {
      if (layer.weight.defined()) {
        saved_.push_back(x);  // a linear layer's input
        x = layer.bias.defined() ? torch::baddbmm(layer.bias.unsqueeze(1), x, layer.weight.transpose(1, 2))
                                 : torch::bmm(x, layer.weight.transpose(1, 2));
      } else {
        x = layer.module.forward(x);
        saved_.push_back(x);  // an activation's output
      }
    }
    return x;
  }

  // The gradients of the parameters (in parameters() order) from the gradient at the output of the last
  // forward_saving(): the operations autograd would run (tanh_backward and threshold_backward are its own).
  std::vector<torch::Tensor> backward(torch::Tensor grad) const {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> grads;
    for (std::size_t i = layers_.size(); i-- > 0;) {
      const auto& layer = layers_[i];
      const auto& saved = saved_[i];
      if (layer.weight.defined()) {
        if (layer.bias.defined()) grads.push_back(grad.sum(1));
        grads.push_back(torch::bmm(grad.transpose(1, 2), saved));
        if (i > 0) grad = torch::bmm(grad, layer.weight);
      } else if (layer.activation == Activation::tanh) {
        grad = torch::tanh_backward(grad, saved);
      } else {
        grad = torch::threshold_backward(grad, saved, 0);
      }
    }
    std::reverse(grads.begin(), grads.end());
    return grads;
  }

  // x: (R, B, in) -> (R, B, out).
  torch::Tensor forward(torch::Tensor x) const {
    for (const auto& layer : layers_) {
      if (layer.weight.defined()) {
        x = layer.bias.defined() ? torch::baddbmm(layer.bias.unsqueeze(1), x, layer.weight.transpose(1, 2))
                                 : torch::bmm(x, layer.weight.transpose(1, 2));
      } else {
        x = layer.module.forward(x);
      }
    }
    return x;
  }

  // In the order of the solo model's named_parameters().
  std::vector<torch::Tensor> parameters() const {
    std::vector<torch::Tensor> out;
    for (const auto& layer : layers_) {
      if (layer.weight.defined()) out.push_back(layer.weight);
      if (layer.bias.defined()) out.push_back(layer.bias);
    }
    return out;
  }

  // Replica k's parameters, named as the solo model names them.
  std::vector<NamedValues> replica(std::int64_t k) const {
    std::vector<NamedValues> out;
    const auto all = parameters();
    for (std::size_t i = 0; i < all.size(); ++i) out.push_back({names_[i], to_vector(all[i][k])});
    return out;
  }

  // Keeps the replicas at `index` (on the device), in that order.
  void keep(const torch::Tensor& index) {
    torch::NoGradGuard no_grad;
    for (auto& layer : layers_) {
      if (layer.weight.defined()) layer.weight = layer.weight.index_select(0, index).requires_grad_(true);
      if (layer.bias.defined()) layer.bias = layer.bias.index_select(0, index).requires_grad_(true);
    }
  }

 private:
  enum class Activation { none, tanh, relu, other };
  struct Layer {
    mutable torch::nn::AnyModule module;  // its forward() is not const
    torch::Tensor weight, bias;  // defined for linear layers
    Activation activation = Activation::other;
  };
  bool manual_backward_ = true;
  std::vector<torch::Tensor> saved_;
  std::vector<Layer> layers_;
  std::vector<std::string> names_;
};

struct StackedEvaluation {
  std::vector<double> loss, accuracy;
};

// Each replica's mean loss over its (x, y), and its accuracy for a classifier.
StackedEvaluation evaluate(const Task& task, bool classifier, const StackedModel& model, const torch::Tensor& x,
                           const torch::Tensor& y) {
  const auto replicas = static_cast<std::size_t>(x.size(0));
  if (x.size(1) == 0) return {std::vector<double>(replicas, std::nan("")), std::vector<double>(replicas, -1)};
  torch::NoGradGuard no_grad;
  const auto output = model.forward(x);
  StackedEvaluation result{to_vector(task.replica_losses(output, y)), std::vector<double>(replicas, -1)};
  if (classifier) result.accuracy = to_vector(output.argmax(2).eq(y).to(torch::kFloat64).mean(1));
  return result;
}

}  // namespace

TrainResult probe_alone(const RunSpec& run) {
  RunSpec probe = run;
  const auto plan = plan_batches(run);
  probe.budget = {Budget::Kind::steps, std::min<std::int64_t>(200, total_iterations(plan, run.budget))};
  probe.log_every = 0;
  return train_run(probe);
}

std::vector<TrainResult> train_cohort(const std::vector<RunSpec>& runs, const std::vector<TrainOptions>& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::size_t cohort_size = runs.size();
  std::vector<TrainResult> results(cohort_size);
  std::vector<bool> finished(cohort_size, false);
  try {
    const RunSpec& first = runs.front();
    const torch::Device device = resolve_device(first.device);
    const torch::Dtype dtype = to_dtype(first.dtype);
    // The cost probe first, before the cohort's memory is taken, so that its readings are one run's.
    const TrainResult probe = probe_alone(first);
    if (probe.iterations == 0 || (probe.status != RunStatus::ok && probe.status != RunStatus::diverged))
      throw std::runtime_error(fmt::format("the cost probe (one run alone) failed: {}", probe.error));
    for (auto& result : results) {
      result.device = device.str();
      result.device_name = probe.device_name;
      for (const auto& name : memory_measure_names())
        if (probe.measures.count(name)) result.measures[name] = probe.measures.at(name);
      result.alone_step_s = probe.train_s / static_cast<double>(probe.iterations);
    }

    const auto task = make_task(first.task);
    const bool linear = first.task.linear_features() > 0, classifier = first.task.is_classifier();
    // Each replica draws from its own stream as it would alone: data, then initial weights, then a permutation
    // per epoch.
    std::vector<std::unique_ptr<RandomSource>> rngs;
    std::vector<torch::nn::Sequential> models;
    std::vector<torch::Tensor> x_train, y_train, x_test, y_test;
    for (std::size_t r = 0; r < cohort_size; ++r) {
      rngs.push_back(make_random(runs[r].generator, runs[r].seed));
      const TaskData data = task->make_data(*rngs.back());
      if (options[r].keep_data && runs[r].task.data_in_plane())
        results[r].data = {to_vector(data.x_train), to_vector(data.y_train)};
      if (linear) results[r].least_squares = least_squares(data);
      models.push_back(task->make_model(*rngs.back()));
      x_train.push_back(data.x_train), y_train.push_back(data.y_train);
      x_test.push_back(data.x_test), y_test.push_back(data.y_test);
    }
    auto stacked = [&](const std::vector<torch::Tensor>& parts) {
      const auto all = torch::stack(parts);
      return all.is_floating_point() ? all.to(device, dtype) : all.to(device);
    };
    torch::Tensor xs_train = stacked(x_train), ys_train = stacked(y_train);
    torch::Tensor xs_test = stacked(x_test), ys_test = stacked(y_test);
    StackedModel model(models, device, dtype);
    models.clear();
    const auto optimizer = make_stacked_optimizer(runs, model.parameters());

    const BatchPlan plan = plan_batches(xs_train.size(1), first.batch_size, first.drop_last);
    const std::int64_t budget = total_iterations(plan, first.budget);
    const bool has_test = xs_test.size(1) > 0;
    for (auto& result : results) result.plan = plan;

    // The replicas still training: alive[k] is the run at row k of every stacked tensor.
    std::vector<std::int64_t> alive(cohort_size);
    std::iota(alive.begin(), alive.end(), 0);
    std::vector<double> train_s(cohort_size, 0.0);  // each run's share of the cohort's training time
    std::int64_t iterations = 0, samples = 0;
    Stopwatch clock(device);
    double clock_read = 0;
    auto share_time = [&]() {  // the time since the last share, divided among the runs that trained in it
      const double now = clock.seconds();
      for (auto k : alive) train_s[static_cast<std::size_t>(k)] += (now - clock_read) / static_cast<double>(alive.size());
      clock_read = now;
    };
    auto batch_loss_sum = torch::zeros({static_cast<std::int64_t>(cohort_size)}, torch::TensorOptions().device(device).dtype(dtype));
    std::int64_t batch_samples = 0;

    torch::Tensor xs, ys;  // this epoch's (shuffled) training set
    auto finish = [&](std::size_t r, std::int64_t row) {
      auto& result = results[r];
      result.iterations = iterations;
      result.samples = samples;
      result.train_s = train_s[r];
      result.parameters = model.parameters().empty() ? std::vector<NamedValues>{} : model.replica(row);
      finished[r] = true;
    };
    // A curve point for every replica; those that diverged finish there and leave the cohort.
    auto record_points = [&]() {
      const auto on_train = evaluate(*task, classifier, model, xs_train, ys_train);
      const auto on_test = evaluate(*task, classifier, model, xs_test, ys_test);
      const auto batch_losses = batch_samples > 0 ? to_vector(batch_loss_sum) : std::vector<double>{};
      std::vector<std::int64_t> keep;
      for (std::size_t row = 0; row < alive.size(); ++row) {
        const auto r = static_cast<std::size_t>(alive[row]);
        CurvePoint point;
        point.iteration = iterations;
        point.epoch = static_cast<double>(iterations) / static_cast<double>(plan.iterations_per_epoch);
        point.train_loss = on_train.loss[row];
        point.test_loss = on_test.loss[row];
        point.train_accuracy = on_train.accuracy[row];
        point.test_accuracy = on_test.accuracy[row];
        if (batch_samples > 0) point.batch_loss = batch_losses[row] / static_cast<double>(batch_samples);
        point.elapsed_s = train_s[r];
        if (linear) point.linear = linear_weights(model.replica(static_cast<std::int64_t>(row)));
        results[r].curve.push_back(point);
        if (healthy_point(results[r].curve, has_test)) {
          keep.push_back(static_cast<std::int64_t>(row));
        } else {
          finish(r, static_cast<std::int64_t>(row));
          results[r].status = RunStatus::diverged;
          results[r].error = divergence_message(results[r]);
        }
      }
      batch_loss_sum.zero_();
      batch_samples = 0;
      if (keep.size() == alive.size()) return;
      // Those that stay, on the device, and every per-replica tensor cut down to them.
      const auto index = torch::tensor(keep, torch::kInt64).to(device);
      std::vector<std::int64_t> kept_runs;
      std::vector<std::unique_ptr<RandomSource>> kept_rngs;
      for (auto row : keep) {
        kept_runs.push_back(alive[static_cast<std::size_t>(row)]);
        kept_rngs.push_back(std::move(rngs[static_cast<std::size_t>(row)]));
      }
      model.keep(index);
      optimizer->keep(index, keep, model.parameters());
      for (auto* t : {&xs_train, &ys_train, &xs_test, &ys_test, &xs, &ys, &batch_loss_sum})
        if (t->defined()) *t = t->index_select(0, index);
      alive = kept_runs;
      rngs = std::move(kept_rngs);
    };

    record_points();
    auto params = model.parameters();
    while (!alive.empty() && iterations < budget) {
      clock.start();
      xs = xs_train, ys = ys_train;
      if (first.shuffle) {
        // Replica k's permutation, offset to its rows of the flattened (replica, sample) dimensions.
        std::vector<torch::Tensor> rows;
        for (std::size_t k = 0; k < alive.size(); ++k)
          rows.push_back(rngs[k]->permutation(plan.n_train) + static_cast<std::int64_t>(k) * plan.n_train);
        const auto index = torch::cat(rows).to(device);
        xs = take_rows(xs_train, index);
        ys = take_rows(ys_train, index);
      }
      for (std::int64_t step = 0; step < plan.iterations_per_epoch && iterations < budget; ++step) {
        const std::int64_t start = step * plan.batch_size;
        const std::int64_t length = std::min(plan.batch_size, plan.n_train - start);
        const auto xb = xs.narrow(1, start, length), yb = ys.narrow(1, start, length);
        torch::Tensor losses;
        std::vector<torch::Tensor> grads;
        if (model.manual_backward()) {
          // No autograd: the loss's gradient from the task, the layers' written out (fewer, cheaper operations).
          torch::NoGradGuard no_grad;
          auto [step_losses, gradient] = task->replica_loss_and_gradient(model.forward_saving(xb), yb);
          losses = step_losses;
          grads = model.backward(gradient);
        } else {
          losses = task->replica_losses(model.forward(xb), yb);
          grads = torch::autograd::grad({losses.sum()}, params);
        }
        optimizer->step(grads);
        batch_loss_sum.add_(losses.detach(), static_cast<double>(length));
        batch_samples += length;
        samples += length;
        ++iterations;
        const bool epoch_end = step + 1 == plan.iterations_per_epoch || iterations == budget;
        if (first.log_every > 0 && iterations % first.log_every == 0 && !epoch_end) {
          clock.stop();
          share_time();
          record_points();
          if (alive.empty()) break;
          params = model.parameters();
          clock.start();
        }
      }
      if (alive.empty()) break;
      clock.stop();
      share_time();
      record_points();
      params = model.parameters();
    }
    for (std::size_t row = 0; row < alive.size(); ++row) finish(static_cast<std::size_t>(alive[row]), static_cast<std::int64_t>(row));
  } catch (const std::exception& error) {
    const auto failed = failed_result(error);
    for (std::size_t r = 0; r < cohort_size; ++r) {
      if (finished[r]) continue;
      results[r].status = failed.status;
      results[r].error = failed.error;
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  for (auto& result : results) result.wall_s = wall_s / static_cast<double>(cohort_size);
  return results;
}

}  // namespace bsweep
