#include "results/folder_files.h"

#include "util/errors.h"
#include "results/csv.h"
#include "results/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

namespace bsweep {
namespace fs = std::filesystem;

std::int64_t widest_linear_task(const SweepSpec& spec) {
  std::int64_t widest = 0;
  for (const auto& task : spec.tasks) widest = std::max(widest, task.linear_features());
  return widest;
}

void check_headers(const std::string& dir_name, std::int64_t widest) {
  const fs::path dir(dir_name);
  const std::pair<const char*, std::vector<std::string>> files[] = {{"runs.csv", runs_header(widest)},
                                                                    {"curves.csv", curves_header(widest)},
                                                                    {"weights.csv", header_of(weight_columns())},
                                                                    {"data.csv", header_of(data_columns())},
                                                                    {"probes.csv", header_of(series_columns())}};
  for (const auto& [name, expected] : files) {
    if (!fs::exists(dir / name)) continue;
    const auto header = read_csv((dir / name).string()).header;
    if (header == expected) continue;
    std::string missing;
    for (const auto& column : expected)
      if (std::find(header.begin(), header.end(), column) == header.end()) missing += (missing.empty() ? "" : ", ") + column;
    throw InputError(fmt::format("{}: its columns differ from what this version writes for this grid{}; write to "
                                 "a new folder with -o",
                                 (dir / name).string(), missing.empty() ? "" : " (missing: " + missing + ")"));
  }
}

}  // namespace bsweep
