// The CUDA tests' own main: without a visible GPU it says so and exits 77, which ctest shows as skipped.
#define CATCH_CONFIG_RUNNER
#include "probes/cuda_probe.h"
#include "probes/device.h"

#include <catch2/catch.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (!bsweep::cuda_available()) {
    std::cout << "SKIPPED: CUDA tests need a visible CUDA GPU (this LibTorch "
              << (bsweep::cuda_compiled_in() ? "has CUDA support but sees no GPU" : "is built without CUDA") << ")\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
