// Expected values are NumPy 1.24.2's own, printed by tools/numpy_reference_values.py.
#include "random/numpy_random.h"

#include <catch2/catch.hpp>

using namespace bsweep;

namespace {
std::vector<double> values(const torch::Tensor& t) {
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}
std::vector<std::int64_t> indices(const torch::Tensor& t) {
  return std::vector<std::int64_t>(t.data_ptr<std::int64_t>(), t.data_ptr<std::int64_t>() + t.numel());
}
}  // namespace

TEST_CASE("rand after seed(42) is NumPy's, bit for bit") {
  NumpyRandom rng(42);
  CHECK(values(rng.uniform({4})) ==
        std::vector<double>{0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366});
}

TEST_CASE("randn after seed(42) is NumPy's polar Gaussian, cached second values included") {
  NumpyRandom rng(42);
  CHECK(values(rng.normal({5})) == std::vector<double>{0.4967141530112327, -0.13826430117118466, 0.6476885381006925,
                                                        1.5230298564080254, -0.23415337472333597});
}

TEST_CASE("permutation after seed(7) is NumPy's shuffle") {
  NumpyRandom rng(7);
  CHECK(indices(rng.permutation(10)) == std::vector<std::int64_t>{8, 5, 0, 2, 1, 9, 7, 3, 6, 4});
}

TEST_CASE("a mixed sequence keeps NumPy's state across calls, the cached Gaussian too") {
  NumpyRandom rng(2024);
  CHECK(values(rng.uniform({2})) == std::vector<double>{0.5880145188953979, 0.6991087476815825});
  CHECK(values(rng.normal({3})) == std::vector<double>{-0.2015377573716711, -0.1509119474905124, 0.9160518074370021});
  CHECK(values(rng.normal({1})) == std::vector<double>{1.1603296370270422});  // the cached one
  CHECK(indices(rng.permutation(6)) == std::vector<std::int64_t>{0, 3, 2, 1, 4, 5});
  CHECK(values(rng.uniform({1})) == std::vector<double>{0.13245683724133916});
  CHECK(values(rng.normal({2})) == std::vector<double>{-0.03864287168053801, 1.5263948672044976});
}

TEST_CASE("a long permutation matches NumPy's throughout") {
  NumpyRandom rng(0);
  const auto p = rng.permutation(1000);
  CHECK(indices(p.narrow(0, 0, 5)) == std::vector<std::int64_t>{993, 859, 298, 553, 672});
  CHECK((torch::arange(1000, torch::kInt64) * p).sum().item<std::int64_t>() == 247872640);
}

TEST_CASE("the largest seed NumPy takes works") {
  NumpyRandom rng(4294967295u);
  CHECK(values(rng.uniform({2})) == std::vector<double>{0.0976320289940138, 0.9123828453026218});
}

TEST_CASE("shapes fill in row-major order, like NumPy's") {
  NumpyRandom a(1), b(1);
  const auto matrix = a.uniform({2, 3});
  CHECK(matrix.sizes() == torch::IntArrayRef{2, 3});
  CHECK(values(matrix) == values(b.uniform({6})));
}
