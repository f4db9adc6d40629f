// Sharpness at a point: the Hessian eigenvalue of largest magnitude of the training loss, by power iteration on
// Hessian-vector products (double backward); and Keskar et al.'s epsilon-sharpness by projected ascent.
#pragma once

#include "spec/probe_config.h"
#include "probes/probed_model.h"
#include "random/random_source.h"

#include <cstdint>

namespace bsweep {

struct SharpnessReading {
  double eigenvalue = 0;
  std::int64_t iterations = 0;
  double residual = 0;     // |Hv - lambda v| / |lambda| at the last iteration (v of unit norm)
  bool converged = false;  // residual <= tolerance within the iterations
  double eps_sharpness = -1;  // percent; -1 when epsilon is 0
};

// The start vector is N(0, 1) from `rng`. The parameters are left as they were.
SharpnessReading measure_sharpness(const ProbedModel& model, const SharpnessConfig& config, RandomSource& rng);

}  // namespace bsweep
