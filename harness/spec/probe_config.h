// The grid's "probes" key: which measurements a run takes besides its losses, time and memory, with their options.
// LibTorch-free: the grid parser resolves it (defaults filled in, so that two spellings give one run id) and the
// trainer's probes (probes/probe_set.h) read the typed view.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bsweep {

// Gradient noise against batch size (probes/gradient_noise.h): at the initial weights, at the end of every
// `every_epochs`-th epoch (0: none between) and at the final weights, for each m of `batch_sizes`, the mean of
// |g_B - G|^2 over `samples` mini-batches B of m samples drawn without replacement.
struct GradientNoiseConfig {
  std::vector<std::int64_t> batch_sizes;
  std::int64_t samples = 32;
  std::int64_t every_epochs = 0;
};

// The gradient noise scale B_simple (probes/noise_scale_probe.h; its estimator, stats/noise_scale.h): every
// `every` optimizer steps, the gradients of a batch of `big` samples drawn with replacement and of its first
// `small`, smoothed with factor `ema`.
struct NoiseScaleConfig {
  std::int64_t small = 8;
  std::int64_t big = 128;
  std::int64_t every = 10;
  double ema = 0.95;
};

// Sharpness at the final weights (probes/sharpness.h): the top Hessian eigenvalue by power iteration (at most
// `iterations`, converged when the residual |Hv - lambda v| / |lambda| is at most `tolerance`), and, when
// `epsilon` > 0, Keskar et al.'s epsilon-sharpness by `ascent_steps` steps of projected ascent.
struct SharpnessConfig {
  std::int64_t iterations = 100;
  double tolerance = 1e-4;
  double epsilon = 0;
  std::int64_t ascent_steps = 20;
};

struct ProbeConfig {
  std::optional<GradientNoiseConfig> gradient_noise;
  std::optional<NoiseScaleConfig> noise_scale;
  std::optional<SharpnessConfig> sharpness;
  bool any() const { return gradient_noise || noise_scale || sharpness; }
};

// The names the "probes" object takes.
const std::vector<std::string>& probe_names();

// Validates the grid's "probes" value (an object: probe name -> true or an options object) and returns it with
// every option filled in. InputError names the JSON path of anything wrong.
nlohmann::json resolve_probes(const nlohmann::json& value, const std::string& path);

// The typed view of a resolved "probes" object (null or empty: no probe).
ProbeConfig probe_config(const nlohmann::json& resolved);

}  // namespace bsweep
