#include "results/manifest.h"

#include "util/build_info.h"
#include "util/host.h"
#include "results/schema.h"
#include "results/writer.h"

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

std::map<std::string, std::string> initial_devices(const std::vector<std::string>& asked, const nlohmann::json& earlier) {
  std::map<std::string, std::string> devices;
  for (const auto& name : asked) {
    if (name == "cpu") {
      devices[name] = "cpu: " + cpu_model_name();
    } else if (earlier.is_object() && earlier.contains(name) && earlier[name].is_string()) {
      devices[name] = earlier[name].get<std::string>();
    } else {
      devices[name] = kDeviceNotUsedYet;
    }
  }
  return devices;
}

nlohmann::json make_manifest(const ManifestInfo& info) {
  // The unit of each runs.csv column that has one, so that readers can refuse a file of other units.
  nlohmann::json run_units = nlohmann::json::object();
  for (const auto& column : run_columns())
    if (!column.unit.empty()) run_units[column.name] = column.unit;
  return {
      {"bsweep_version", build_version()},
      {"git_revision", build_git_revision()},
      {"libtorch_version", build_libtorch_version()},
      {"libtorch_cuda", build_libtorch_cuda()},
      {"grid_file", info.grid_file},
      {"grid", info.grid},
      {"devices", info.devices},
      {"cpu_model", cpu_model_name()},
      {"threads", info.threads},
      {"workers", info.workers},
      {"batching", {{"enabled", info.batching}, {"max_cohort", info.max_cohort}, {"cohorts", info.cohorts}}},
      {"host", host_name()},
      {"started_at", info.started_at},
      {"resumed_at", info.resumed_at.empty() ? nlohmann::json() : nlohmann::json(info.resumed_at)},
      {"finished_at", info.finished_at.empty() ? nlohmann::json() : nlohmann::json(info.finished_at)},
      {"units", {{"runs.csv", run_units}}},
      {"runs", {{"total", info.runs_total}, {"finished", info.runs_finished}, {"failed", info.runs_failed}}},
      {"executor", info.executor},
      {"slurm", info.slurm},
      {"shard", info.shard.empty() ? nlohmann::json() : nlohmann::json(info.shard)},
  };
}

void write_manifest(const std::string& directory, const ManifestInfo& info) {
  write_atomically(directory + "/manifest.json", make_manifest(info).dump(2) + "\n");
}

}  // namespace bsweep
