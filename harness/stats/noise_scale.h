// The gradient noise scale B_simple = tr(Sigma) / |G|^2 (McCandlish et al. 2018, appendix A) from the squared norms
// of gradients at two batch sizes, as gpt-neox estimates it: unbiased estimates of |G|^2 and tr(Sigma) from each
// pair, each smoothed by an exponential moving average with bias correction, and the ratio of the two averages.
// Plain arithmetic (the probe, probes/noise_scale_probe.h, measures the norms).
#pragma once

#include <cstdint>

namespace bsweep {

class NoiseScaleEstimator {
 public:
  NoiseScaleEstimator(double small, double big, double ema);
  // |G_small|^2 and |G_big|^2: squared norms of the mean gradients of `small` and `big` samples (with replacement).
  void observe(double small_sq, double big_sq);
  bool ready() const { return count_ > 0; }
  // The smoothed estimates: |G|^2 ~ (B_big |G_big|^2 - B_small |G_small|^2) / (B_big - B_small),
  // tr(Sigma) ~ (|G_small|^2 - |G_big|^2) / (1/B_small - 1/B_big).
  double grad_sq() const;
  double trace() const;
  double b_simple() const { return trace() / grad_sq(); }

 private:
  double small_, big_, ema_;
  double grad_sq_average_ = 0, trace_average_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace bsweep
