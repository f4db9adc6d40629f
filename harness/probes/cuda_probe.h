// The CUDA caching allocator's statistics. Compiled for real only when LibTorch has CUDA
// (BSWEEP_WITH_CUDA); otherwise these report "no CUDA".
#pragma once

#include <cstdint>
#include <string>

namespace bsweep {

bool cuda_compiled_in();
void cuda_reset_peak(int device_index);
// Bytes of live tensors now, and the peak since the last reset (the allocator's "allocated_bytes").
std::int64_t cuda_allocated_bytes(int device_index);
std::int64_t cuda_peak_allocated_bytes(int device_index);
std::string cuda_device_name(int device_index);

}  // namespace bsweep
