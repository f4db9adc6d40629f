// The executor: the second of a sweep's three stages (planner -> executor -> trainer). It runs jobs somewhere
// and says when each has ended and how; the job's worker hands its results back as files (job_file.h), which the
// runner reads and records. Today: local processes (exec/local_executor.h); next: Slurm array tasks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bsweep {

// How a job's process ended.
struct JobEnd {
  std::size_t id = 0;                  // as given to start()
  int wait_status = 0;                 // as waitpid reports it
  bool timed_out = false;              // stopped by the executor for passing its time limit
  std::string lost;                    // non-empty: the process was lost with the machinery that ran it (why)
  std::int64_t peak_rss_bytes = -1;    // of the job's process (-1: unknown)
  std::string output;                  // the tail of what it printed (its last line tells why it failed)
  double seconds = 0;                  // from start to end
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Jobs it runs at once.
  virtual std::size_t capacity() const = 0;
  virtual std::size_t running() const = 0;
  // Starts job `id` on `job_file`, stopped after `time_limit_s` (0: no limit). ResourceError when it cannot.
  virtual void start(std::size_t id, const std::string& job_file, double time_limit_s) = 0;
  // Waits at most `wait` for something to happen; returns the jobs that ended meanwhile.
  virtual std::vector<JobEnd> poll(std::chrono::milliseconds wait) = 0;
  // Asks every running job to stop (SIGTERM); kill_all stops them at once.
  virtual void interrupt_all() = 0;
  virtual void kill_all() = 0;
};

}  // namespace bsweep
