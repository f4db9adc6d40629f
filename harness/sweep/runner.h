// Runs a sweep: every job (a run, a shared stream's runs, a cohort) in a child process of its own, several at once,
// here or on Slurm, each finished run appended to the results as it comes in. A rerun into the same folder resumes
// it, collecting what a cluster finished meanwhile.
#pragma once

#include "exec/slurm_plan.h"
#include "plan/shard.h"
#include "results/status.h"
#include "spec/spec.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace bsweep {

struct RunnerOptions {
  std::string grid_file;
  std::string out_dir;
  int workers = 0;              // child processes at once; 0: one per core
  int threads = 0;              // intra-op threads per run; 0: cores / workers (at least 1)
  double timeout_s = 0;         // per run; 0: the grid's, else none
  std::int64_t max_memory = 0;  // bytes per run; 0: the grid's, else none
  std::int64_t max_tensor_bytes = 0;  // live CPU tensor bytes per run (probes/memory.h); 0: none
  bool batching = true;         // train runs that differ only in seed, lr and momentum together (cohorts)
  std::int64_t max_cohort = 0;  // runs per cohort at most; 0: the grid's, else kDefaultMaxCohort
  bool force = false;           // replace the results of a different grid
  bool retry_failed = false;    // rerun runs recorded as oom, timeout, crashed or error
  bool quiet = false;
  bool terminal = false;        // draw a live progress line
  // Where the jobs run: on this machine, or as Slurm array tasks (exec/slurm_executor.h). A folder whose sweep
  // began on Slurm goes on there unless `local` says otherwise.
  bool slurm = false;
  bool local = false;
  SlurmOptions slurm_options;
  Shard shard;                  // count 0: the whole grid
};

// What the folder holds when the sweep stops (not only what this invocation ran), and what this one did.
struct SweepOutcome {
  std::size_t total = 0;     // runs in the grid
  std::size_t recorded = 0;  // rows in runs.csv
  std::size_t ok = 0, diverged = 0, failed = 0, interrupted_runs = 0;  // by status (failed: see is_failure)
  std::size_t skipped = 0, ran = 0;  // this invocation: found recorded, recorded now
  bool interrupted = false;          // this invocation was interrupted
  std::size_t in_flight = 0;         // runs left running on a cluster when this invocation returned
  std::string slurm_jobs;            // the Slurm job ids of this invocation's submissions
  std::map<std::string, std::int64_t> cohorts;  // runs.csv's cohorts -> how many runs trained in each
};

// Bad input (including a folder that holds another grid's results) throws InputError before anything is written;
// a folder in use by another sweep, or one that cannot be written, throws ResourceError. The folder's counts come
// from runs.csv as it stands at the end.
SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log);

// The folder `bsweep run GRID` writes to without -o: results/<grid name>.
std::string default_results_dir(const SweepSpec& spec);


}  // namespace bsweep
