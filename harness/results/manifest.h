// manifest.json: what a results folder is the output of, and on what.
#pragma once

#include "spec/spec.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace bsweep {

inline constexpr const char* kDeviceNotUsedYet = "not used by a run yet";

struct ManifestInfo {
  std::string grid_file;
  nlohmann::json grid;
  // Each device the grid asks for -> what it is ("cpu: <model>", "cuda: <GPU>"), as the runs on it report; a
  // device no run has reported yet says so.
  std::map<std::string, std::string> devices;
  int threads = 0;  // intra-op threads per run
  int workers = 0;  // worker processes at once
  bool batching = true;          // runs may train in cohorts
  std::int64_t max_cohort = 0;   // the largest cohort allowed
  std::map<std::string, std::int64_t> cohorts;  // each cohort of runs.csv -> how many runs trained in it
  std::string started_at;
  std::string resumed_at;   // the latest invocation's start when it resumed the folder; empty for the first
  std::string finished_at;  // empty until every run of the grid is recorded
  std::size_t runs_total = 0, runs_finished = 0, runs_failed = 0;
  std::string executor = "local";  // where the runs ran: local, slurm
  nlohmann::json slurm;            // the Slurm options (exec/slurm_plan.h) when the executor is slurm
  std::string shard;               // "K/N" for a shard's folder, empty for the whole grid
};

nlohmann::json make_manifest(const ManifestInfo& info);
// The devices map for `asked` (the grid's device values): the CPU is known without a run; the others take what
// `earlier` (a previous manifest's "devices", or null) recorded.
std::map<std::string, std::string> initial_devices(const std::vector<std::string>& asked, const nlohmann::json& earlier);
void write_manifest(const std::string& directory, const ManifestInfo& info);
// Current UTC time as ISO 8601, e.g. 2026-11-21T16:36:00Z.
std::string utc_now();

}  // namespace bsweep
