#include "stats/noise_scale.h"

#include <cmath>

namespace bsweep {

NoiseScaleEstimator::NoiseScaleEstimator(double small, double big, double ema) : small_(small), big_(big), ema_(ema) {}

void NoiseScaleEstimator::observe(double small_sq, double big_sq) {
  const double grad_sq = (big_ * big_sq - small_ * small_sq) / (big_ - small_);
  const double trace = (small_sq - big_sq) / (1 / small_ - 1 / big_);
  grad_sq_average_ = ema_ * grad_sq_average_ + (1 - ema_) * grad_sq;
  trace_average_ = ema_ * trace_average_ + (1 - ema_) * trace;
  ++count_;
}

double NoiseScaleEstimator::grad_sq() const {
  return grad_sq_average_ / (1 - std::pow(ema_, static_cast<double>(count_)));
}

double NoiseScaleEstimator::trace() const {
  return trace_average_ / (1 - std::pow(ema_, static_cast<double>(count_)));
}

}  // namespace bsweep
