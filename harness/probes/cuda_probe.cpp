#include "probes/cuda_probe.h"

#ifdef BSWEEP_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace bsweep {

#ifdef BSWEEP_WITH_CUDA
namespace {
// Index 0 of each stat array is the aggregate over pool types (StatType::AGGREGATE); the enum moved
// namespaces across versions, the index did not.
constexpr std::size_t kAggregate = 0;
}  // namespace

bool cuda_compiled_in() { return true; }
void cuda_reset_peak(int device_index) { c10::cuda::CUDACachingAllocator::resetPeakStats(device_index); }
std::int64_t cuda_allocated_bytes(int device_index) {
  return c10::cuda::CUDACachingAllocator::getDeviceStats(device_index).allocated_bytes[kAggregate].current;
}
std::int64_t cuda_peak_allocated_bytes(int device_index) {
  return c10::cuda::CUDACachingAllocator::getDeviceStats(device_index).allocated_bytes[kAggregate].peak;
}
std::string cuda_device_name(int device_index) { return at::cuda::getDeviceProperties(device_index)->name; }
#else
bool cuda_compiled_in() { return false; }
void cuda_reset_peak(int) {}
std::int64_t cuda_allocated_bytes(int) { return -1; }
std::int64_t cuda_peak_allocated_bytes(int) { return -1; }
std::string cuda_device_name(int) { return "unavailable (built without CUDA)"; }
#endif

}  // namespace bsweep
