// Peak memory of a run, measured two ways (docs/performance.md, "Measurement"):
//  - tensor bytes: live tensor storage, counted by a wrapper around LibTorch's CPU allocator,
//    or read from the CUDA caching allocator on a GPU;
//  - RSS: the process's resident-set high-water mark (VmHWM), reset at run start via /proc/self/clear_refs.
#pragma once

#include "results/run_result.h"

#include <c10/core/Device.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bsweep {

// Peak memory of a run, as MemoryProbe::stop() reads it; record_memory() puts it into a result's measures.
struct MemoryReading {
  std::int64_t peak_tensor_bytes = -1;  // whole run: data, model, optimizer state, activations
  // Peak while taking optimizer steps, above what was live when the steps began (data, the epoch's shuffled
  // copy, model, optimizer state): activations, gradients and temporaries, the part that grows with the batch.
  std::int64_t step_peak_tensor_bytes = -1;
  std::int64_t peak_rss_bytes = -1;  // process VmHWM during the run; -1 where it cannot be reset
};

// The reading under its declared names (probes/measures.h): peak_tensor_bytes, step_peak_tensor_bytes (each only
// where measured) and peak_rss_bytes (-1 where the kernel refused the reset).
void record_memory(const MemoryReading& reading, std::map<std::string, double>& measures);
// The names record_memory fills: a cohort copies them from its cost probe.
const std::vector<std::string>& memory_measure_names();

// Installs the counting CPU allocator (once per process; later calls do nothing).
void install_counting_cpu_allocator();
// Live CPU tensor bytes now, as counted by the wrapper (0 before it is installed).
std::int64_t cpu_tensor_bytes();
// From now on an allocation that would take live CPU tensor bytes past `bytes` fails as LibTorch's allocator fails
// when memory runs out (0: no cap). Installs the counting allocator.
void set_cpu_tensor_cap(std::int64_t bytes);

// Like google/benchmark's MemoryManager: start() before a run, stop() after; around each stretch of
// optimizer steps (an epoch's, after its shuffle), begin_steps() and end_steps().
class MemoryProbe {
 public:
  explicit MemoryProbe(c10::Device device);
  void start();
  void begin_steps();
  void end_steps();
  // Around a probe, outside a stretch of steps: what the probe allocates counts toward no peak, and a tensor cap
  // is lifted meanwhile.
  void pause();
  void resume();
  MemoryReading stop();

 private:
  std::int64_t live_bytes() const;
  std::int64_t peak_bytes() const;
  void reset_peak();

  c10::Device device_;
  bool rss_reset_ok_ = false;
  std::int64_t run_peak_ = 0;
  std::int64_t steps_baseline_ = 0;
  std::int64_t step_peak_ = -1;
  std::int64_t paused_cap_ = 0;  // the tensor cap (set_cpu_tensor_cap) while a probe runs
};

// VmHWM of this process in bytes (-1 if unreadable).
std::int64_t read_peak_rss_bytes();
// Resets VmHWM to the current RSS; false where the kernel refuses.
bool reset_peak_rss();

}  // namespace bsweep
