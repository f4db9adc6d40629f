// What a job that ended without a run's result means for that run: the status and message runs.csv records,
// from how the job's process (or the array task that ran it) ended. Shared by the runner and a Slurm array task.
#pragma once

#include "exec/executor.h"
#include "results/run_result.h"

#include <string>

namespace bsweep {

// The last non-empty line of `text` (a worker's last words say why it failed).
std::string last_line_of(const std::string& text);

// The result recorded for a run of `end`'s job that handed back nothing; `interrupted`: the sweep was stopped.
TrainResult failed_run(const JobEnd& end, bool interrupted);

}  // namespace bsweep
