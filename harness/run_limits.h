// Per-run limits: memory sizes as written by people ("512M", "2GiB", 1073741824), and applying them in a worker.
#pragma once

#include <cstdint>
#include <string>

namespace bsweep {

// Bytes from "123", "64K", "512M", "2G", "1.5GiB" (K, M, G, T and their KiB..TiB forms are powers of 1024).
// Throws InputError naming `where` on anything else.
std::int64_t parse_size(const std::string& text, const std::string& where);

// Caps the data segment and private mappings of this process (RLIMIT_DATA): allocations beyond fail, which
// LibTorch reports as "can't allocate memory" and the run records as oom.
void apply_memory_limit(std::int64_t bytes);

}  // namespace bsweep
