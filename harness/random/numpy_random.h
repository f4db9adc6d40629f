// NumPy's legacy random stream (np.random.seed(s) then np.random.rand / randn / permutation), draw for draw:
// MT19937 seeded as NumPy seeds it, random_sample from two 32-bit draws, the polar Gaussian with its cached
// second value, and the masked rejection of random_interval for shuffling.
#pragma once

#include "random/random_source.h"

#include <array>
#include <cstdint>

namespace bsweep {

class NumpyRandom final : public RandomSource {
 public:
  // Seeds must fit in 32 bits, as np.random.seed requires.
  explicit NumpyRandom(std::uint32_t seed);

  std::uint32_t next_uint32();  // MT19937 genrand_int32
  double next_double();         // random_sample: 53 bits from (a >> 5, b >> 6)
  double next_gauss();          // legacy_gauss
  std::uint64_t next_interval(std::uint64_t max);  // random_interval: uniform on [0, max]

  torch::Tensor uniform(torch::IntArrayRef shape) override;  // np.random.rand(*shape), row-major
  torch::Tensor normal(torch::IntArrayRef shape) override;   // np.random.randn(*shape)
  torch::Tensor permutation(std::int64_t n) override;        // np.random.permutation(n)

 private:
  void regenerate();

  static constexpr int kStateSize = 624;
  std::array<std::uint32_t, kStateSize> state_{};
  int position_ = kStateSize;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

std::unique_ptr<RandomSource> make_numpy_random(std::uint32_t seed);

}  // namespace bsweep
