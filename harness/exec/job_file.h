// The job file: what the parent (runner.cpp) asks one worker process to train, and where the results go. A job
// names the sweep invocation that wrote it and carries each run's full configuration, so a worker never reads
// the grid: its start-up cost does not grow with the grid. Written and read without LibTorch.
#pragma once

#include "spec/spec.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bsweep {

// A worker that cannot hand over its results for want of a resource (no space left, say) exits with this
// code after printing why; the parent then stops the sweep with that reason instead of recording the run.
inline constexpr int kWorkerResourceExit = 75;  // EX_TEMPFAIL

struct JobRun {
  RunSpec run;             // as the worker reads it back (its id computed afresh)
  std::string sent_id;     // the id the parent sent: a mismatch means the configuration changed on the way
  bool keep_data = false;  // hand back the training set (tasks with data in the plane, for the plots)
};

struct JobFile {
  std::string sweep, result_dir;
  std::vector<JobRun> runs;
  bool cohort = false;  // the runs train together (train_cohort.h); otherwise one after another, each alone
};

// The job file's JSON for `runs` of sweep invocation `sweep_id`; results go to `result_dir`.
nlohmann::json make_job(const std::string& sweep_id, const std::string& result_dir, const std::vector<JobRun>& runs,
                        bool cohort = false);
// Reads a job file; InputError names the place of anything malformed.
JobFile read_job(const std::string& file);

// Where the worker commits the result of run `run_id`, by atomic rename.
std::string result_path(const std::string& result_dir, const std::string& run_id);

}  // namespace bsweep
