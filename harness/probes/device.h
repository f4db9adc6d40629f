// Which device a run uses, and the few device operations the probes need.
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace bsweep {

bool cuda_available();
// "cpu" -> CPU; "cuda" -> the first GPU, or an error (a clear message) when there is none; "auto" -> either.
c10::Device resolve_device(const std::string& name);
// Waits for queued device work, so a clock reading after it means what it says.
void synchronize(const c10::Device& device);
// "cpu: <model name>" or "cuda: <GPU name>".
std::string device_description(const c10::Device& device);

}  // namespace bsweep
