// Per-run limits: memory sizes as written by people ("512M", "2GiB", 1073741824), and applying them in a worker.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <utility>

namespace bsweep {

// The number `text` begins with, as strtod reads it, and how many characters it takes (0: no number).
std::pair<double, std::size_t> leading_number(const std::string& text);

// Bytes from "123", "64K", "512M", "2G", "1.5GiB" (K, M, G, T and their KiB..TiB forms are powers of 1024).
// Throws InputError naming `where` on anything else.
std::int64_t parse_size(const std::string& text, const std::string& where);

inline constexpr std::int64_t kMaxMemoryCap = std::int64_t{1} << 60;

// This process's data segment and private mappings now (VmData, what RLIMIT_DATA counts); -1 if unreadable.
std::int64_t data_segment_bytes();

// Why a cap of `bytes` cannot even hold what this process already holds ("" when it can): such a run is oom at
// once instead of failing somewhere inside LibTorch's start-up.
std::string memory_cap_problem(std::int64_t bytes);

// For its lifetime, caps this process's data segment and private mappings (RLIMIT_DATA's soft limit):
// allocations beyond fail, which LibTorch reports as "can't allocate memory" and the run records as oom.
// The destructor lifts the cap, so the result can be written whatever the run left allocated.
class MemoryCap {
 public:
  explicit MemoryCap(std::int64_t bytes);  // 0: no cap
  ~MemoryCap();
  MemoryCap(const MemoryCap&) = delete;
  MemoryCap& operator=(const MemoryCap&) = delete;

 private:
  rlimit saved_{};
  bool active_ = false;
};

}  // namespace bsweep
