#include "probes/memory.h"

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

TEST_CASE("the memory probe reports the peak of a run and of its training phase") {
  MemoryProbe probe(torch::kCPU);
  probe.start();
  const auto data = torch::zeros({1 << 18}, torch::kFloat64);  // 2 MiB live from setup on
  probe.training_started();
  { const auto batch = torch::zeros({1 << 17}, torch::kFloat64); }  // 1 MiB, freed again
  const auto reading = probe.stop();
  CHECK(reading.peak_tensor_bytes >= (2 << 20) + (1 << 20));
  CHECK(reading.train_peak_tensor_bytes >= 1 << 20);
  CHECK(reading.train_peak_tensor_bytes < 2 << 20);
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
