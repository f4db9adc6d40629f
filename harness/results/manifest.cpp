#include "results/manifest.h"

#include "build_info.h"
#include "probes/device.h"
#include "results/schema.h"
#include "results/writer.h"

#include <torch/version.h>

#include <unistd.h>

#include <ctime>

namespace bsweep {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

nlohmann::json make_manifest(const ManifestInfo& info) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  nlohmann::json devices = nlohmann::json::object();
  for (const auto& name : info.devices) {
    try {
      devices[name] = device_description(resolve_device(name));
    } catch (const std::exception& error) {
      devices[name] = std::string("unavailable: ") + error.what();
    }
  }
  // The unit of each runs.csv column that has one, so that readers can refuse a file of other units.
  nlohmann::json run_units = nlohmann::json::object();
  for (const auto& column : run_columns())
    if (!column.unit.empty()) run_units[column.name] = column.unit;
  return {
      {"bsweep_version", build_version()},
      {"git_revision", build_git_revision()},
      {"libtorch_version", TORCH_VERSION},
      {"grid_file", info.grid_file},
      {"grid", info.grid},
      {"devices", devices},
      {"cpu_model", cpu_model_name()},
      {"cuda_available", cuda_available()},
      {"threads", info.threads},
      {"workers", info.workers},
      {"host", host},
      {"started_at", info.started_at},
      {"resumed_at", info.resumed_at.empty() ? nlohmann::json() : nlohmann::json(info.resumed_at)},
      {"finished_at", info.finished_at.empty() ? nlohmann::json() : nlohmann::json(info.finished_at)},
      {"units", {{"runs.csv", run_units}}},
      {"runs", {{"total", info.runs_total}, {"finished", info.runs_finished}, {"failed", info.runs_failed}}},
  };
}

void write_manifest(const std::string& directory, const ManifestInfo& info) {
  write_atomically(directory + "/manifest.json", make_manifest(info).dump(2) + "\n");
}

}  // namespace bsweep
