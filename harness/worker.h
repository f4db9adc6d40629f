// The child side of a sweep: `bsweep _worker DIR --runs i,j,...` trains the listed runs of the grid recorded in
// DIR/manifest.json, in order (several only for a shared stream), and commits each result as
// DIR/.pending/<run id>.json by atomic rename. The parent (runner.cpp) is the only writer of the CSVs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bsweep {

struct WorkerOptions {
  std::string out_dir;
  std::vector<std::size_t> runs;  // grid indices
  int threads = 1;
  std::int64_t max_memory = 0;  // bytes; 0: no cap
};

int run_worker(const WorkerOptions& options);

std::string pending_dir(const std::string& out_dir);
std::string pending_result_path(const std::string& out_dir, const std::string& run_id);

}  // namespace bsweep
