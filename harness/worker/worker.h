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
  // Live CPU tensor bytes (the counting allocator's): past it an allocation fails as out of memory, as a GPU's
  // memory does. Deterministic, unlike the process cap: what `bsweep maxbatch` searches against.
  std::int64_t max_tensor_bytes = 0;
};

int run_worker(const WorkerOptions& options);

// Takes one tiny step of each kind the trainers take (forward, loss, gradients, optimizer; float32 and float64;
// solo and cohort kernels), at one thread so that no thread pool exists yet: the first-use set-up of LibTorch's
// kernels and of the BLAS happens once in the worker server, and every job forked from it inherits it instead of
// paying it (and counting it in its first step's time).
void warm_up_kernels();
// run_worker as a process's life: an error is printed to stderr (its last line tells the parent why) and becomes
// the exit code: 2 a bad job file, 1 anything else.
int run_worker_reporting(const WorkerOptions& options);

}  // namespace bsweep
