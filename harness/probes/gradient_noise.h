// Gradient noise against batch size: how far a mini-batch gradient lies from the full-batch gradient G, for each
// batch size m, against the two predictions (docs/claims.md, "Probes").
#pragma once

#include "spec/probe_config.h"
#include "probes/probed_model.h"
#include "random/random_source.h"

#include <cstdint>
#include <vector>

namespace bsweep {

struct GradientNoiseReading {
  double trace = 0;               // tr(Sigma) = (1/n) sum_j |g_j - G|^2, from every example's gradient g_j
  std::vector<std::int64_t> m;    // the batch sizes measured (those below n)
  std::vector<double> noise;      // mean |g_B - G|^2 over the sampled batches of each m
  std::vector<double> iid;        // tr(Sigma) / m
  std::vector<double> fpc;        // tr(Sigma) / m x (n - m) / (n - 1): batches drawn without replacement
  double slope = 0, slope_fpc = 0;  // of log(noise), and of log(noise (n - 1) / (n - m)), against log(m)
  double fpc_error = 0;           // max over m of |noise / fpc - 1|
};

// Draws config.samples batches of each m from `rng` (each the first m of a permutation of the training set).
GradientNoiseReading measure_gradient_noise(const ProbedModel& model, const GradientNoiseConfig& config,
                                            RandomSource& rng);

}  // namespace bsweep
