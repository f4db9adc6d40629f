// The probes a run asked for (the grid's "probes"), called by the trainer at its steps, its curve points and its
// end, with the clock and the memory probe paused around them. Each probe draws from a random stream of its own,
// seeded from the run's seed, so a run's training numbers are the same with and without probes.
#pragma once

#include "spec/batches.h"
#include "probes/gradient_noise.h"
#include "probes/noise_scale_probe.h"
#include "spec/probe_config.h"
#include "probes/probed_model.h"
#include "probes/sharpness.h"
#include "random/random_source.h"
#include "results/run_result.h"
#include "spec/spec.h"

#include <memory>
#include <optional>

namespace bsweep {

// The seeds of the probes' streams: the run's seed XOR these (docs/claims.md, "Probes").
inline constexpr std::uint64_t kGradientNoiseSalt = 0x9e3779b97f4a7c15ull;
inline constexpr std::uint64_t kNoiseScaleSalt = 0xbf58476d1ce4e5b9ull;
inline constexpr std::uint64_t kSharpnessSalt = 0x94d049bb133111ebull;

class ProbeSet {
 public:
  ProbeSet(const RunSpec& run, ProbedModel model, const BatchPlan& plan);
  bool any() const { return config_.any(); }
  // True when a probe measures after optimizer step number `iterations` (1 for the first).
  bool wants_step(std::int64_t iterations) const;
  void at_step();
  // A curve point: the noise scale so far into point.measures; the gradient noise, when due, into result.series.
  void at_point(CurvePoint& point, bool epoch_end, TrainResult& result);
  // The final weights: gradient noise (unless just measured) and sharpness into result.measures and result.series.
  void finish(TrainResult& result);

 private:
  void measure_gradient_noise_now(std::int64_t iteration, double epoch, TrainResult& result);

  ProbeConfig config_;
  ProbedModel model_;
  BatchPlan plan_;
  std::unique_ptr<RandomSource> noise_rng_, scale_rng_, sharpness_rng_;
  std::optional<NoiseScaleProbe> noise_scale_;
  std::optional<GradientNoiseReading> last_noise_;
  std::int64_t last_noise_iteration_ = -1;
};

}  // namespace bsweep
