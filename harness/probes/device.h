// Which device a run uses, and the few device operations the probes need.
#pragma once

#include <torch/torch.h>

#include <string>

namespace bsweep {

bool cuda_available();
// "cpu" -> CPU; "cuda" -> the first GPU, or an error (a clear message) when there is none; "auto" -> either.
torch::Device resolve_device(const std::string& name);
// Waits for queued device work, so a clock reading after it means what it says.
void synchronize(const torch::Device& device);
// "cpu: <model name>" or "cuda: <GPU name>".
std::string device_description(const torch::Device& device);
std::string cpu_model_name();

}  // namespace bsweep
