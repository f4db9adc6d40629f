// The array task's side of the Slurm executor (exec/slurm_executor.h): `bsweep slurm-task SUBMISSION --array FILE
// --task T` trains task T's jobs on this node with a local executor (one preloaded worker server, a process per
// job, the per-run time limit and memory caps as on one machine). The workers hand their results to the
// submission folder themselves; a job whose process failed gets, for each run it left without a result, the
// failure recorded as that run's result (a cohort's runs are left to the submitter, which trains them again
// alone). Stopped by Slurm (scancel, the time limit), it stops its workers and records nothing: the submitter
// reads the task's state.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace bsweep {

// 0 every job ran (whatever their runs' statuses), 130 stopped by a signal; InputError for a bad array file or task.
int run_slurm_task(const std::string& submission_dir, const std::string& array_file, std::size_t task, std::ostream& log);

}  // namespace bsweep
