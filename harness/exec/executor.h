// The executor: the second of a sweep's three stages (planner -> executor -> trainer). It runs jobs somewhere
// and says when each has ended and how; the job's worker hands its results back as files (job_file.h), which the
// runner reads and records. Local processes (exec/local_executor.h) or Slurm array tasks (exec/slurm_executor.h).
#pragma once

#include "results/status.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <optional>
#include <vector>

namespace bsweep {

// How a job's process ended.
struct JobEnd {
  std::size_t id = 0;                  // as given to start()
  int wait_status = 0;                 // as waitpid reports it
  bool timed_out = false;              // stopped by the executor for passing its time limit
  std::string lost;                    // non-empty: the process was lost with the machinery that ran it (why)
  // Set by machinery that knows better than a wait status: the status its runs without a result get (timeout,
  // interrupted, oom, crashed), `lost` saying why. Unset: the wait status tells.
  std::optional<RunStatus> status;
  // The runs without a result go back to the planner instead of being recorded (work lost before this
  // invocation began to watch it: a Slurm task of an earlier submission that was cancelled or is gone).
  bool run_again = false;
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
  // `cost` (planner.h: expected_cost) lets an executor that packs jobs balance them.
  virtual void start(std::size_t id, const std::string& job_file, double time_limit_s, double cost) = 0;
  // Waits at most `wait` for something to happen; returns the jobs that ended meanwhile.
  virtual std::vector<JobEnd> poll(std::chrono::milliseconds wait) = 0;
  // Asks every running job to stop (SIGTERM); kill_all stops them at once.
  virtual void interrupt_all() = 0;
  virtual void kill_all() = 0;
  // Jobs that go on after this process exits (a cluster's) are let go: true. Local processes cannot be: false.
  virtual bool detach() { return false; }
};

}  // namespace bsweep
