// manifest.json: what a results folder is the output of, and on what.
#pragma once

#include "spec.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bsweep {

struct ManifestInfo {
  std::string grid_file;
  nlohmann::json grid;
  std::vector<std::string> devices;  // the grid's device values
  int threads = 0;  // intra-op threads per run
  int workers = 0;  // worker processes at once
  std::string started_at;
  std::string resumed_at;   // the latest invocation's start when it resumed the folder; empty for the first
  std::string finished_at;  // empty until every run of the grid is recorded
  std::size_t runs_total = 0, runs_finished = 0, runs_failed = 0;
};

nlohmann::json make_manifest(const ManifestInfo& info);
void write_manifest(const std::string& directory, const ManifestInfo& info);
// Current UTC time as ISO 8601, e.g. 2026-11-21T16:36:00Z.
std::string utc_now();

}  // namespace bsweep
