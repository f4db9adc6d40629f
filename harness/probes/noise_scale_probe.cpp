#include "probes/noise_scale_probe.h"

namespace bsweep {

NoiseScaleProbe::NoiseScaleProbe(const NoiseScaleConfig& config)
    : config_(config),
      estimator_(static_cast<double>(config.small), static_cast<double>(config.big), config.ema) {}

void NoiseScaleProbe::observe(const ProbedModel& model, RandomSource& rng) {
  const auto n = model.samples();
  // With replacement, so that E|G_B|^2 = |G|^2 + tr(Sigma)/B holds exactly at any n.
  const auto index = (rng.uniform({config_.big}) * static_cast<double>(n)).floor().to(torch::kInt64).clamp_max(n - 1)
                         .to(model.x.device());
  const double big_sq = squared_norm(model.gradient(index));
  const double small_sq = squared_norm(model.gradient(index.narrow(0, 0, config_.small)));
  estimator_.observe(small_sq, big_sq);
}

}  // namespace bsweep
