// Runs only where a CUDA GPU is visible; cuda_main.cpp skips the whole executable otherwise.
#include "spec/grid.h"
#include "probes/cuda_probe.h"
#include "test_util.h"
#include "train/train.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("a run on the GPU trains, reports the CUDA allocator's peak and matches the CPU run closely") {
  auto grid = bsweep::test::small_grid();
  grid["batch_sizes"] = {10};
  grid["dtype"] = "float64";
  grid["device"] = {"cpu", "cuda"};
  const auto runs = expand(parse_sweep(grid, "cuda"));
  const auto on_cpu = train_run(runs.at(0));
  const auto on_gpu = train_run(runs.at(1));
  REQUIRE(on_gpu.status == RunStatus::ok);
  CHECK(on_gpu.device == "cuda:0");
  CHECK(on_gpu.measures.at("peak_tensor_bytes") > 0);
  for (std::size_t i = 0; i < on_cpu.parameters.size(); ++i)
    CHECK(on_gpu.parameters[i].values[0] == Approx(on_cpu.parameters[i].values[0]).margin(1e-9));
}

TEST_CASE("auto picks the GPU when there is one") {
  auto grid = bsweep::test::small_grid();
  grid["device"] = "auto";
  CHECK(train_run(expand(parse_sweep(grid, "auto")).at(0)).device == "cuda:0");
}
