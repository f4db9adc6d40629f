#include "random/numpy_random.h"

#include <cmath>
#include <numeric>

namespace bsweep {
namespace {
constexpr int kShift = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfu;
constexpr std::uint32_t kUpperBit = 0x80000000u;
constexpr std::uint32_t kLowerBits = 0x7fffffffu;
}  // namespace

NumpyRandom::NumpyRandom(std::uint32_t seed) {
  for (int i = 0; i < kStateSize; ++i) {
    state_[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + static_cast<std::uint32_t>(i + 1);
  }
}

void NumpyRandom::regenerate() {
  auto twist = [&](int i, int next, int shifted) {
    const std::uint32_t y = (state_[i] & kUpperBit) | (state_[next] & kLowerBits);
    state_[i] = state_[shifted] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
  };
  int i = 0;
  for (; i < kStateSize - kShift; ++i) twist(i, i + 1, i + kShift);
  for (; i < kStateSize - 1; ++i) twist(i, i + 1, i + kShift - kStateSize);
  twist(kStateSize - 1, 0, kShift - 1);
  position_ = 0;
}

std::uint32_t NumpyRandom::next_uint32() {
  if (position_ >= kStateSize) regenerate();
  std::uint32_t y = state_[position_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double NumpyRandom::next_double() {
  const std::uint32_t a = next_uint32() >> 5, b = next_uint32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::next_gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;  // kept for the next call
  has_gauss_ = true;
  return f * x2;
}

std::uint64_t NumpyRandom::next_interval(std::uint64_t max) {
  if (max == 0) return 0;
  std::uint64_t mask = max;  // the smallest all-ones mask >= max
  for (int shift : {1, 2, 4, 8, 16, 32}) mask |= mask >> shift;
  std::uint64_t value;
  if (max <= 0xffffffffu) {
    while ((value = (next_uint32() & mask)) > max) {
    }
  } else {
    while ((value = ((static_cast<std::uint64_t>(next_uint32()) << 32 | next_uint32()) & mask)) > max) {
    }
  }
  return value;
}

torch::Tensor NumpyRandom::uniform(torch::IntArrayRef shape) {
  auto out = torch::empty(shape, torch::kFloat64);
  auto* data = out.data_ptr<double>();
  for (std::int64_t i = 0; i < out.numel(); ++i) data[i] = next_double();
  return out;
}

torch::Tensor NumpyRandom::normal(torch::IntArrayRef shape) {
  auto out = torch::empty(shape, torch::kFloat64);
  auto* data = out.data_ptr<double>();
  for (std::int64_t i = 0; i < out.numel(); ++i) data[i] = next_gauss();
  return out;
}

torch::Tensor NumpyRandom::permutation(std::int64_t n) {
  // np.random.permutation(n) is arange(n) shuffled from the back: swap i with random_interval(i).
  auto out = torch::arange(n, torch::kInt64);
  auto* data = out.data_ptr<std::int64_t>();
  for (std::int64_t i = n - 1; i > 0; --i) std::swap(data[i], data[next_interval(static_cast<std::uint64_t>(i))]);
  return out;
}

std::unique_ptr<RandomSource> make_numpy_random(std::uint32_t seed) { return std::make_unique<NumpyRandom>(seed); }

}  // namespace bsweep
