#include "probes/memory.h"

#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("the counting allocator sees tensors come and go") {
  install_counting_cpu_allocator();
  const auto before = cpu_tensor_bytes();
  {
    const auto tensor = torch::empty({1 << 20}, torch::kFloat64);  // 8 MiB
    CHECK(cpu_tensor_bytes() - before >= 8 << 20);
  }
  CHECK(cpu_tensor_bytes() == before);
}

TEST_CASE("the memory probe reports the peak of a run and the largest step phase above its baseline") {
  MemoryProbe probe(c10::kCPU);
  probe.start();
  const auto data = torch::zeros({1 << 18}, torch::kFloat64);  // 2 MiB, live from setup on
  for (int epoch = 1; epoch <= 2; ++epoch) {
    probe.begin_steps();
    { const auto activations = torch::zeros({epoch << 17}, torch::kFloat64); }  // 1 MiB, then 2 MiB, freed again
    probe.end_steps();
  }
  const auto reading = probe.stop();
  CHECK(reading.peak_tensor_bytes >= (2 << 20) + (2 << 20));
  CHECK(reading.step_peak_tensor_bytes >= 2 << 20);
  CHECK(reading.step_peak_tensor_bytes < 3 << 20);
}

TEST_CASE("step memory grows with the batch size") {
  auto step_peak = [](std::int64_t batch) {
    MemoryProbe probe(c10::kCPU);
    probe.start();
    auto layer = torch::nn::Linear(64, 64);
    const auto x = torch::randn({batch, 64});
    probe.begin_steps();
    layer->forward(x).tanh().sum().backward();
    probe.end_steps();
    return probe.stop().step_peak_tensor_bytes;
  };
  const auto small = step_peak(10), large = step_peak(1000);
  CHECK(large > small);
  CHECK(large >= 1000 * 64 * 4);  // at least one activation of the large batch
}

TEST_CASE("the peak RSS is reset at run start and grows with what the run touches") {
  if (!reset_peak_rss()) {
    WARN("skipped: this kernel refuses /proc/self/clear_refs, peak RSS is recorded as -1");
    return;
  }
  const auto start = read_peak_rss_bytes();
  auto big = torch::ones({64 << 20}, torch::kUInt8);  // 64 MiB, touched
  CHECK(read_peak_rss_bytes() - start >= 60 << 20);
}
