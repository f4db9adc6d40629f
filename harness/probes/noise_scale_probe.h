// The gradient noise scale during training: every k steps, the gradients of a batch of B_big samples drawn with
// replacement and of its first B_small, fed to the estimator (stats/noise_scale.h).
#pragma once

#include "spec/probe_config.h"
#include "probes/probed_model.h"
#include "random/random_source.h"
#include "stats/noise_scale.h"

namespace bsweep {

class NoiseScaleProbe {
 public:
  explicit NoiseScaleProbe(const NoiseScaleConfig& config);
  // One pair of gradients at the model's current weights, drawn from `rng`.
  void observe(const ProbedModel& model, RandomSource& rng);
  const NoiseScaleEstimator& estimate() const { return estimator_; }

 private:
  NoiseScaleConfig config_;
  NoiseScaleEstimator estimator_;
};

}  // namespace bsweep
