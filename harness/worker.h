// The child side of a sweep: a `bsweep-worker` process trains the runs of a job file (job_file.h), in order
// (several only for a shared stream), and commits each result as <job's folder>/<run id>.json by atomic rename.
// The parent (runner.cpp) writes the job file, is the only writer of the CSVs, and checks every result it reads.
#pragma once

#include <cstdint>
#include <string>

namespace bsweep {

struct WorkerOptions {
  std::string job_file;
  int threads = 1;
  std::int64_t max_memory = 0;  // bytes; 0: no cap
};

int run_worker(const WorkerOptions& options);
// run_worker as a process's life: an error is printed to stderr (its last line tells the parent why) and becomes
// the exit code: 2 a bad job file, 1 anything else.
int run_worker_reporting(const WorkerOptions& options);

}  // namespace bsweep
