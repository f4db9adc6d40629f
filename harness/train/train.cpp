#include "train/train.h"

#include "spec/lr_rules.h"
#include "probes/clock.h"
#include "probes/device.h"
#include "probes/memory.h"
#include "probes/probe_set.h"
#include "random/random_source.h"
#include "optim/optimizer.h"
#include "train/train_parts.h"

#include <torch/autograd.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/utils.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace bsweep {

namespace {

struct Evaluation {
  double loss = 0, accuracy = -1;
};

// The mean loss over (x, y), and the accuracy for a classifier.
Evaluation evaluate(const Task& task, bool classifier, torch::nn::Sequential& model, const torch::Tensor& x,
                    const torch::Tensor& y) {
  if (x.size(0) == 0) return {std::nan(""), -1};  // no such split
  torch::NoGradGuard no_grad;
  const auto output = model->forward(x);
  Evaluation result;
  result.loss = task.loss(output, y).item<double>();
  if (classifier) result.accuracy = output.argmax(1).eq(y).to(torch::kFloat64).mean().item<double>();
  return result;
}

std::vector<NamedValues> final_parameters(torch::nn::Sequential& model) {
  std::vector<NamedValues> out;
  for (const auto& item : model->named_parameters()) out.push_back({item.key(), to_vector(item.value())});
  return out;
}

// The value of a curve point that the grid's target names.
double target_value(const Target& target, const CurvePoint& point) {
  if (target.metric == "train_loss") return point.train_loss;
  if (target.metric == "test_loss") return point.test_loss;
  if (target.metric == "train_accuracy") return point.train_accuracy;
  return point.test_accuracy;
}

}  // namespace

TrainResult failed_result(const std::exception& error) {
  TrainResult result;
  const auto* torch_error = dynamic_cast<const c10::Error*>(&error);
  result.error = torch_error ? torch_error->what_without_backtrace() : error.what();
  const bool out_of_memory = dynamic_cast<const std::bad_alloc*>(&error) != nullptr || is_out_of_memory(result.error);
  result.status = out_of_memory ? RunStatus::oom : RunStatus::error;
  return result;
}

RunStream open_stream(const RunSpec& run) {
  RunStream stream;
  stream.rng = make_random(run.generator, run.seed);
  stream.data = make_task(run.task)->make_data(*stream.rng);
  return stream;
}

TrainResult train_run(const RunSpec& run, const TrainOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunStream stream;
  try {
    stream = open_stream(run);
  } catch (const std::exception& error) {
    return failed_result(error);
  }
  TrainResult result = train_run(run, stream, options);
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

TrainResult train_run(const RunSpec& run, RunStream& stream, const TrainOptions& options) {
  TrainResult result;
  if (options.keep_data && run.task.data_in_plane())
    result.data = {to_vector(stream.data.x_train), to_vector(stream.data.y_train)};
  const auto wall_start = std::chrono::steady_clock::now();
  try {
    const torch::Device device = resolve_device(run.device);
    result.device = device.str();
    result.device_name = device_description(device);
    const torch::Dtype dtype = to_dtype(run.dtype);
    MemoryProbe memory(device);
    memory.start();

    // The stream has drawn the data; the run draws its initial weights, then one permutation per epoch.
    auto& rng = stream.rng;
    const auto task = make_task(run.task);
    // Asked of the task once: the curve points below need them each time.
    const bool linear = run.task.linear_features() > 0, classifier = run.task.is_classifier();
    const TaskData& cpu_data = stream.data;
    if (linear) result.least_squares = least_squares(cpu_data);
    auto model = task->make_model(*rng);

    auto to_device = [&](const torch::Tensor& t) {
      return t.is_floating_point() ? t.to(device, dtype) : t.to(device);
    };
    const auto x_train = to_device(cpu_data.x_train), y_train = to_device(cpu_data.y_train);
    const auto x_test = to_device(cpu_data.x_test), y_test = to_device(cpu_data.y_test);
    model->to(device, dtype);
    const auto params = model->parameters();
    result.plan = plan_batches(x_train.size(0), run.batch_size, run.drop_last);
    const auto& plan = result.plan;
    const std::int64_t budget = total_iterations(plan, run.budget);
    const double peak_lr = scaled_lr(run, plan.batch_size);
    const std::int64_t warmup = warmup_steps(run, plan);
    const auto optimizer = make_solo_optimizer(run.optimizer, peak_lr, params);
    DirectForward forward(model);
    ProbeSet probes(run, ProbedModel{[forward](const torch::Tensor& x) mutable { return forward(x); }, task.get(), params,
                                     x_train, y_train},
                    plan);
    bool reached = false;  // the grid's "until" target, met at a curve point
    // A probe measures outside the clock (stopped by the caller) and the memory peaks.
    auto measure = [&](auto&& probe) {
      memory.pause();
      probe();
      memory.resume();
    };

    Stopwatch training_clock(device);
    auto batch_loss_sum = torch::zeros({}, torch::TensorOptions().device(device).dtype(dtype));
    std::int64_t batch_samples = 0;
    auto record_point = [&](bool epoch_end) {
      CurvePoint point;
      point.iteration = result.iterations;
      point.epoch = static_cast<double>(result.iterations) / static_cast<double>(plan.iterations_per_epoch);
      const auto on_train = evaluate(*task, classifier, model, x_train, y_train);
      const auto on_test = evaluate(*task, classifier, model, x_test, y_test);
      point.train_loss = on_train.loss;
      point.test_loss = on_test.loss;
      point.train_accuracy = on_train.accuracy;
      point.test_accuracy = on_test.accuracy;
      if (batch_samples > 0) point.batch_loss = batch_loss_sum.item<double>() / static_cast<double>(batch_samples);
      point.elapsed_s = training_clock.seconds();
      if (linear) point.linear = linear_weights(final_parameters(model));
      batch_loss_sum.zero_();
      batch_samples = 0;
      if (probes.any()) measure([&] { probes.at_point(point, epoch_end, result); });
      result.curve.push_back(point);
      const bool healthy = healthy_point(result.curve, x_test.size(0) > 0);
      if (healthy && run.until && !reached && run.until->met_by(target_value(*run.until, point))) {
        reached = true;
        result.measures["steps_to_target"] = static_cast<double>(result.iterations);
        result.measures["samples_to_target"] = static_cast<double>(result.samples);
        result.measures["seconds_to_target"] = point.elapsed_s;
      }
      return healthy;
    };

    record_point(false);
    bool healthy = true;
    while (healthy && !reached && result.iterations < budget) {
      training_clock.start();
      torch::Tensor xs = x_train, ys = y_train;
      if (run.shuffle) {
        const auto permutation = rng->permutation(plan.n_train).to(device);
        xs = x_train.index_select(0, permutation);
        ys = y_train.index_select(0, permutation);
      }
      memory.begin_steps();
      for (std::int64_t step = 0; step < plan.iterations_per_epoch && result.iterations < budget; ++step) {
        const std::int64_t start = step * plan.batch_size;
        const std::int64_t length = std::min(plan.batch_size, plan.n_train - start);
        const auto xb = xs.narrow(0, start, length);
        const auto yb = ys.narrow(0, start, length);
        // The gradients as backward() into zeroed .grad would leave them, without zeroing or accumulating.
        if (warmup > 0) optimizer->set_lr(lr_at_step(peak_lr, warmup, result.iterations));
        const auto loss = task->loss(forward(xb), yb);
        optimizer->step(torch::autograd::grad({loss}, params));
        batch_loss_sum.add_(loss.detach(), static_cast<double>(length));
        batch_samples += length;
        result.samples += length;
        ++result.iterations;
        if (probes.wants_step(result.iterations)) {
          memory.end_steps();
          training_clock.stop();
          measure([&] { probes.at_step(); });
          training_clock.start();
          memory.begin_steps();
        }
        const bool epoch_end = step + 1 == plan.iterations_per_epoch || result.iterations == budget;
        if (run.log_every > 0 && result.iterations % run.log_every == 0 && !epoch_end) {
          memory.end_steps();
          training_clock.stop();
          healthy = record_point(false);
          if (!healthy || reached) break;
          training_clock.start();
          memory.begin_steps();
        }
      }
      if (healthy && !reached) {
        memory.end_steps();
        training_clock.stop();
        healthy = record_point(result.iterations % plan.iterations_per_epoch == 0);
      }
      training_clock.stop();
    }
    if (!healthy) {
      result.status = RunStatus::diverged;
      result.error = divergence_message(result);
    }
    if (run.until) result.measures["target_reached"] = reached ? 1 : 0;
    if (healthy && probes.any()) measure([&] { probes.finish(result); });
    result.train_s = training_clock.seconds();
    result.parameters = final_parameters(model);
    record_memory(memory.stop(), result.measures);
  } catch (const std::exception& error) {
    const auto failed = failed_result(error);
    result.status = failed.status;
    result.error = failed.error;
  }
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace bsweep
