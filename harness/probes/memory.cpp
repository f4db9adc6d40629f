#include "probes/memory.h"

#include "probes/cuda_probe.h"
#include "util/torch_compat.h"

#include <c10/core/CPUAllocator.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>

namespace bsweep {
namespace {

std::atomic<std::int64_t> g_live_bytes{0};
std::atomic<std::int64_t> g_peak_bytes{0};
std::atomic<std::int64_t> g_cap_bytes{0};

void count_allocation(std::int64_t bytes) {
  const auto now = g_live_bytes.fetch_add(bytes) + bytes;
  auto peak = g_peak_bytes.load();
  while (now > peak && !g_peak_bytes.compare_exchange_weak(peak, now)) {
  }
}

// Wraps the allocator that was installed, counting the bytes it hands out and takes back.
class CountingAllocator final : public c10::Allocator {
 public:
  explicit CountingAllocator(c10::Allocator* inner) : inner_(inner) {}

  c10::DataPtr allocate(size_t bytes) BSWEEP_ALLOCATOR_ALLOCATE_CONST override {
    const auto cap = g_cap_bytes.load();
    TORCH_CHECK(cap <= 0 || g_live_bytes.load() + static_cast<std::int64_t>(bytes) <= cap,
                "can't allocate memory: the tensor memory cap of ", cap, " bytes would be passed (", g_live_bytes.load(),
                " live, ", bytes, " asked for)");
    auto* context = new Context{inner_->allocate(bytes), static_cast<std::int64_t>(bytes)};
    count_allocation(context->bytes);
    void* data = context->inner.get();
    return {data, context, &release, c10::Device(c10::DeviceType::CPU)};
  }

  // Pure virtual in newer LibTorch, absent in 1.13: declared without `override` so it compiles against both.
  void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

 private:
  struct Context {
    c10::DataPtr inner;  // frees through the wrapped allocator when destroyed
    std::int64_t bytes;
  };
  static void release(void* raw) {
    auto* context = static_cast<Context*>(raw);
    g_live_bytes.fetch_sub(context->bytes);
    delete context;
  }
  c10::Allocator* inner_;
};

}  // namespace

void install_counting_cpu_allocator() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Leaked on purpose: tensors may outlive any owner we could give it.
    static auto* counting = new CountingAllocator(c10::GetCPUAllocator());
    c10::SetCPUAllocator(counting, /*priority=*/100);
  });
}

std::int64_t cpu_tensor_bytes() { return g_live_bytes.load(); }

void set_cpu_tensor_cap(std::int64_t bytes) {
  install_counting_cpu_allocator();
  g_cap_bytes.store(bytes);
}

std::int64_t read_peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // the kernel reports kB
  }
  return -1;
}

bool reset_peak_rss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";  // 5: reset the peak resident set size
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

MemoryProbe::MemoryProbe(c10::Device device) : device_(device) {}

std::int64_t MemoryProbe::live_bytes() const {
  return device_.is_cuda() ? cuda_allocated_bytes(device_.index()) : g_live_bytes.load();
}

std::int64_t MemoryProbe::peak_bytes() const {
  return device_.is_cuda() ? cuda_peak_allocated_bytes(device_.index()) : g_peak_bytes.load();
}

void MemoryProbe::reset_peak() {
  if (device_.is_cuda()) {
    cuda_reset_peak(device_.index());
  } else {
    g_peak_bytes.store(g_live_bytes.load());
  }
}

void MemoryProbe::start() {
  install_counting_cpu_allocator();
  rss_reset_ok_ = reset_peak_rss();
  reset_peak();
  run_peak_ = live_bytes();
  step_peak_ = -1;
}

void MemoryProbe::begin_steps() {
  run_peak_ = std::max(run_peak_, peak_bytes());
  reset_peak();
  steps_baseline_ = live_bytes();
}

void MemoryProbe::end_steps() {
  const auto peak = peak_bytes();
  run_peak_ = std::max(run_peak_, peak);
  step_peak_ = std::max(step_peak_, peak - steps_baseline_);
}

void record_memory(const MemoryReading& reading, std::map<std::string, double>& measures) {
  if (reading.peak_tensor_bytes >= 0) measures["peak_tensor_bytes"] = static_cast<double>(reading.peak_tensor_bytes);
  if (reading.step_peak_tensor_bytes >= 0)
    measures["step_peak_tensor_bytes"] = static_cast<double>(reading.step_peak_tensor_bytes);
  measures["peak_rss_bytes"] = static_cast<double>(reading.peak_rss_bytes);
}

const std::vector<std::string>& memory_measure_names() {
  static const std::vector<std::string> names = {"peak_tensor_bytes", "step_peak_tensor_bytes", "peak_rss_bytes"};
  return names;
}

void MemoryProbe::pause() {
  run_peak_ = std::max(run_peak_, peak_bytes());
  paused_cap_ = g_cap_bytes.exchange(0);  // a tensor budget is training's: probes measure outside it
}

void MemoryProbe::resume() {
  g_cap_bytes.store(paused_cap_);
  reset_peak();
}

MemoryReading MemoryProbe::stop() {
  MemoryReading reading;
  reading.peak_tensor_bytes = std::max(run_peak_, peak_bytes());
  reading.step_peak_tensor_bytes = step_peak_;
  reading.peak_rss_bytes = rss_reset_ok_ ? read_peak_rss_bytes() : -1;
  return reading;
}

}  // namespace bsweep
