// What machine this is, read from the system (no LibTorch): for the manifest and the device descriptions.
#pragma once

#include <string>

namespace bsweep {

// The CPU's model name from /proc/cpuinfo ("unknown" where it has none).
std::string cpu_model_name();
std::string host_name();

}  // namespace bsweep
