#include "tasks/task.h"

#include <torch/utils.h>

#include <cmath>

namespace bsweep {

void init_uniform_fan_in(torch::nn::Linear& linear, RandomSource& rng) {
  torch::NoGradGuard no_grad;
  const auto out_features = linear->weight.size(0);
  const auto in_features = linear->weight.size(1);
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
  linear->weight.copy_((rng.uniform({out_features, in_features}) * 2.0 - 1.0) * bound);
  linear->bias.copy_((rng.uniform({out_features}) * 2.0 - 1.0) * bound);
}

}  // namespace bsweep
