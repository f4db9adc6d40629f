#include "random/random_source.h"

#include "random/numpy_random.h"

#include <ATen/CPUGeneratorImpl.h>

namespace bsweep {
namespace {

class TorchRandom final : public RandomSource {
 public:
  explicit TorchRandom(std::uint64_t seed) : generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

  torch::Tensor uniform(torch::IntArrayRef shape) override {
    return torch::rand(shape, generator_, torch::dtype(torch::kFloat64));
  }
  torch::Tensor normal(torch::IntArrayRef shape) override {
    return torch::randn(shape, generator_, torch::dtype(torch::kFloat64));
  }
  torch::Tensor permutation(std::int64_t n) override {
    return torch::randperm(n, generator_, torch::dtype(torch::kInt64));
  }

 private:
  at::Generator generator_;
};

}  // namespace

std::unique_ptr<RandomSource> make_torch_random(std::uint64_t seed) { return std::make_unique<TorchRandom>(seed); }

std::unique_ptr<RandomSource> make_random(const std::string& generator, std::uint64_t seed) {
  if (generator == "numpy") {
    if (seed > 0xffffffffu) throw std::invalid_argument("the numpy generator takes seeds up to 4294967295");
    return make_numpy_random(static_cast<std::uint32_t>(seed));
  }
  return make_torch_random(seed);
}

}  // namespace bsweep
