#include "spec/run_limits.h"

#include "util/json_path.h"

#include <fmt/format.h>

#include <sys/resource.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace bsweep {

std::pair<double, std::size_t> leading_number(const std::string& text) {
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {  // no number at all, or one out of range
    used = 0;
  }
  return {number, used};
}

std::int64_t parse_size(const std::string& text, const std::string& where) {
  const auto [number, used] = leading_number(text);
  std::string unit = text.substr(used);
  if (unit.size() == 3 && unit.substr(1) == "iB") unit = unit.substr(0, 1);
  const std::string units = "KMGT";
  double scale = 1;
  if (!unit.empty()) {
    const auto position = unit.size() == 1 ? units.find(unit[0]) : std::string::npos;
    scale = position == std::string::npos ? 0 : std::pow(1024.0, static_cast<double>(position + 1));
  }
  if (used == 0 || scale == 0 || !(number > 0) || !std::isfinite(number))
    throw InputError(fmt::format("{}: expected a size in bytes such as 536870912, 512M or 2G, got \"{}\"", where, text));
  const double bytes = number * scale;
  if (bytes < 1)
    throw InputError(fmt::format("{}: \"{}\" is less than one byte; give a size such as 512M or 2G", where, text));
  if (bytes > static_cast<double>(kMaxMemoryCap))
    throw InputError(fmt::format("{}: \"{}\" is more than the {} bytes (1 EiB) a cap may be", where, text, kMaxMemoryCap));
  return static_cast<std::int64_t>(bytes);
}

std::int64_t data_segment_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmData:", 0) == 0) return std::stoll(line.substr(7)) * 1024;  // "VmData:   123456 kB"
  return -1;
}

std::string memory_cap_problem(std::int64_t bytes) {
  const std::int64_t used = data_segment_bytes();
  if (used < 0 || used < bytes) return "";
  return fmt::format("the memory cap of {:.1f} MiB is below the {:.1f} MiB the worker holds before training "
                     "(LibTorch and its thread pools); raise --max-memory above that",
                     static_cast<double>(bytes) / 1048576.0, static_cast<double>(used) / 1048576.0);
}

MemoryCap::MemoryCap(std::int64_t bytes) {
  if (bytes <= 0 || getrlimit(RLIMIT_DATA, &saved_) != 0) return;
  rlimit limit = saved_;
  limit.rlim_cur = static_cast<rlim_t>(bytes);
  if (saved_.rlim_max != RLIM_INFINITY && limit.rlim_cur > saved_.rlim_max) limit.rlim_cur = saved_.rlim_max;
  if (setrlimit(RLIMIT_DATA, &limit) != 0)
    throw std::runtime_error(fmt::format("cannot set the memory limit: {}", std::strerror(errno)));
  active_ = true;
}

MemoryCap::~MemoryCap() {
  if (active_) setrlimit(RLIMIT_DATA, &saved_);
}

}  // namespace bsweep
