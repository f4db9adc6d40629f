#include "probes/probe_set.h"

#include <cmath>

namespace bsweep {

ProbeSet::ProbeSet(const RunSpec& run, ProbedModel model, const BatchPlan& plan)
    : config_(probe_config(run.probes)), model_(std::move(model)), plan_(plan) {
  if (config_.gradient_noise) noise_rng_ = make_torch_random(run.seed ^ kGradientNoiseSalt);
  if (config_.noise_scale) {
    scale_rng_ = make_torch_random(run.seed ^ kNoiseScaleSalt);
    noise_scale_.emplace(*config_.noise_scale);
  }
  if (config_.sharpness) sharpness_rng_ = make_torch_random(run.seed ^ kSharpnessSalt);
}

bool ProbeSet::wants_step(std::int64_t iterations) const {
  return noise_scale_ && iterations % config_.noise_scale->every == 0;
}

void ProbeSet::at_step() { noise_scale_->observe(model_, *scale_rng_); }

void ProbeSet::measure_gradient_noise_now(std::int64_t iteration, double epoch, TrainResult& result) {
  last_noise_ = measure_gradient_noise(model_, *config_.gradient_noise, *noise_rng_);
  last_noise_iteration_ = iteration;
  const auto& r = *last_noise_;
  for (std::size_t i = 0; i < r.m.size(); ++i) {
    result.series.push_back({iteration, epoch, "grad_noise", r.m[i], r.noise[i]});
    result.series.push_back({iteration, epoch, "grad_noise_iid", r.m[i], r.iid[i]});
    result.series.push_back({iteration, epoch, "grad_noise_fpc", r.m[i], r.fpc[i]});
  }
}

void ProbeSet::at_point(CurvePoint& point, bool epoch_end, TrainResult& result) {
  if (noise_scale_ && noise_scale_->estimate().ready()) {
    const auto& estimate = noise_scale_->estimate();
    point.measures["b_simple"] = estimate.b_simple();
    point.measures["noise_grad_sq"] = estimate.grad_sq();
    point.measures["noise_trace"] = estimate.trace();
  }
  if (!config_.gradient_noise) return;
  const auto every = config_.gradient_noise->every_epochs;
  const std::int64_t epoch_index = plan_.iterations_per_epoch > 0 ? point.iteration / plan_.iterations_per_epoch : 0;
  const bool due = point.iteration == 0 || (epoch_end && every > 0 && epoch_index % every == 0);
  if (due) measure_gradient_noise_now(point.iteration, point.epoch, result);
}

void ProbeSet::finish(TrainResult& result) {
  if (config_.gradient_noise) {
    if (last_noise_iteration_ != result.iterations) {
      const double epoch = plan_.iterations_per_epoch > 0
                               ? static_cast<double>(result.iterations) / static_cast<double>(plan_.iterations_per_epoch)
                               : 0;
      measure_gradient_noise_now(result.iterations, epoch, result);
    }
    result.measures["grad_noise_trace"] = last_noise_->trace;
    if (!std::isnan(last_noise_->slope)) {  // NaN: fewer than two batch sizes below n (the grid refuses that)
      result.measures["grad_noise_slope"] = last_noise_->slope;
      result.measures["grad_noise_slope_fpc"] = last_noise_->slope_fpc;
      result.measures["grad_noise_fpc_error"] = last_noise_->fpc_error;
    }
  }
  if (noise_scale_ && noise_scale_->estimate().ready()) result.measures["b_simple"] = noise_scale_->estimate().b_simple();
  if (config_.sharpness) {
    const auto reading = measure_sharpness(model_, *config_.sharpness, *sharpness_rng_);
    result.measures["sharpness"] = reading.eigenvalue;
    result.measures["sharpness_iterations"] = static_cast<double>(reading.iterations);
    result.measures["sharpness_residual"] = reading.residual;
    result.measures["sharpness_converged"] = reading.converged ? 1 : 0;
    if (reading.eps_sharpness >= 0) result.measures["eps_sharpness"] = reading.eps_sharpness;
  }
}

}  // namespace bsweep
