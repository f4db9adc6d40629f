#include "probes/device.h"

#include "util/host.h"

#include "probes/cuda_probe.h"

#include <torch/cuda.h>

#include <stdexcept>

namespace bsweep {

bool cuda_available() { return torch::cuda::is_available(); }

c10::Device resolve_device(const std::string& name) {
  if (name == "cpu") return c10::kCPU;
  if (name == "auto") return cuda_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
  if (name == "cuda") {
    if (!cuda_available()) {
      throw std::runtime_error(cuda_compiled_in() ? "device \"cuda\" requested but no CUDA GPU is visible"
                                                  : "device \"cuda\" requested but this build of LibTorch has no CUDA "
                                                    "support (use \"cpu\" or \"auto\")");
    }
    return c10::Device(c10::kCUDA, 0);
  }
  throw std::invalid_argument("unknown device " + name);
}

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

std::string device_description(const c10::Device& device) {
  if (device.is_cuda()) return "cuda: " + cuda_device_name(device.index());
  return "cpu: " + cpu_model_name();
}

}  // namespace bsweep
