// Where every random number of a run comes from. All draws are float64 (or int64) tensors on the CPU,
// made in a documented order, so that a run can be replayed draw for draw in PyTorch.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace bsweep {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Uniform on [0, 1), float64, CPU.
  virtual torch::Tensor uniform(torch::IntArrayRef shape) = 0;
  // Standard normal, float64, CPU.
  virtual torch::Tensor normal(torch::IntArrayRef shape) = 0;
  // A random permutation of 0..n-1, int64, CPU.
  virtual torch::Tensor permutation(std::int64_t n) = 0;
};

// torch.Generator().manual_seed(seed) with torch.rand / torch.randn (dtype float64) and torch.randperm.
std::unique_ptr<RandomSource> make_torch_random(std::uint64_t seed);

// "torch" or "numpy" (random/numpy_random.h; seeds up to 2^32 - 1).
std::unique_ptr<RandomSource> make_random(const std::string& generator, std::uint64_t seed);

}  // namespace bsweep
