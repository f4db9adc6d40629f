#include "run_limits.h"

#include "json_path.h"

#include <fmt/format.h>

#include <sys/resource.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace bsweep {

std::int64_t parse_size(const std::string& text, const std::string& where) {
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
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
  return static_cast<std::int64_t>(number * scale);
}

void apply_memory_limit(std::int64_t bytes) {
  const rlimit limit{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
  if (setrlimit(RLIMIT_DATA, &limit) != 0)
    throw std::runtime_error(fmt::format("cannot set the memory limit: {}", std::strerror(errno)));
}

}  // namespace bsweep
