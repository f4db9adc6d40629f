// The child side of a sweep: `bsweep _worker JOB_FILE` trains the runs listed in a job file, in order (several
// only for a shared stream), and commits each result as <job's folder>/<run id>.json by atomic rename. The
// parent (runner.cpp) writes the job file, is the only writer of the CSVs, and checks every result it reads.
//
// A job file names the sweep invocation that wrote it and carries each run's full configuration, so a worker
// never reads the grid: its start-up cost does not grow with the grid.
#pragma once

#include "spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace bsweep {

struct WorkerOptions {
  std::string job_file;
  int threads = 1;
  std::int64_t max_memory = 0;  // bytes; 0: no cap
};

// A worker that cannot hand over its results for want of a resource (no space left, say) exits with this
// code after printing why; the parent then stops the sweep with that reason instead of recording the run.
inline constexpr int kWorkerResourceExit = 75;  // EX_TEMPFAIL

// The job file of `runs` for sweep invocation `sweep_id`; results go to `result_dir`.
nlohmann::json make_job(const std::string& sweep_id, const std::string& result_dir,
                        const std::vector<const RunSpec*>& runs);

int run_worker(const WorkerOptions& options);

std::string result_path(const std::string& result_dir, const std::string& run_id);

}  // namespace bsweep
