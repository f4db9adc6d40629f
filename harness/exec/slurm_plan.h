// The pure half of the Slurm executor (exec/slurm_executor.h): how jobs are packed into array tasks, how an
// array larger than the cluster allows is split, the sbatch script, the records a submission leaves in the
// results folder, and what a Slurm job state means for the runs. No commands are run here.
#pragma once

#include "exec/executor.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bsweep {

// What `bsweep run --slurm` was asked; the results folder's manifest keeps it, so that a rerun continues alike.
struct SlurmOptions {
  std::string partition;          // empty: the cluster's default
  std::string time;               // an array task's limit, in sbatch's forms (e.g. 30, 1:00:00, 1-12); empty: the partition's
  int cpus_per_task = 1;          // each task runs this many jobs at once, one thread each (unless --threads/-j say)
  int gpus = 0;                   // per task
  std::size_t max_array_tasks = 0;  // tasks per submission at most (0: as many as runs_per_task makes)
  std::size_t runs_per_task = 16;   // runs packed into one task
  bool wait = true;               // wait for the results, showing progress; false: return once submitted
  bool assume_shared = false;     // skip the check that the nodes can see the results folder
};
nlohmann::json slurm_options_json(const SlurmOptions& options);
// Reads what slurm_options_json wrote (a manifest's "slurm"); InputError names the place of anything malformed.
SlurmOptions slurm_options_from_json(const nlohmann::json& json, const std::string& where);
// sbatch's time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (or "infinite"/"unlimited").
bool valid_slurm_time(const std::string& text);

// The jobs of one array task, and how the task runs them (its own local executor, exec/slurm_task.h).
struct TaskJob {
  std::string file;       // job file, relative to the submission folder
  double time_limit_s = 0;
};
struct TaskWorkers {
  int workers = 1, threads = 1;
  std::int64_t max_memory = 0, max_tensor_bytes = 0;
};
struct ArrayFile {
  TaskWorkers workers;
  std::vector<std::vector<TaskJob>> tasks;
};
nlohmann::json array_file_json(const ArrayFile& array);
ArrayFile read_array_file(const std::string& path);

// Jobs (their expected costs and run counts) into tasks: ceil(runs / runs_per_task) tasks, at most max_tasks (0:
// no cap) and at most one a job; the longest job first into the task with the least cost so far (so the tasks end
// at about the same time). Each task lists its jobs' indexes, longest first. Deterministic.
std::vector<std::vector<std::size_t>> pack_tasks(const std::vector<double>& costs, const std::vector<std::size_t>& runs,
                                                 std::size_t runs_per_task, std::size_t max_tasks);

// An array of `tasks` tasks cut into sbatch submissions of at most `max_array_size` (the cluster's MaxArraySize:
// indexes run from 0 to it minus one): each part's first task; a part holds tasks first .. first + size - 1.
std::vector<std::size_t> array_parts(std::size_t tasks, std::size_t max_array_size);

// MaxArraySize from `scontrol show config`'s text (1001, Slurm's default, when it is not there).
std::size_t parse_max_array_size(const std::string& scontrol_config);

// squeue -h -r -o '%K|%T' (array task index | state) -> index -> state. A line that is no such pair is skipped.
std::vector<std::pair<std::size_t, std::string>> parse_squeue(const std::string& out);

// A Slurm job state that is still going (PENDING, RUNNING, COMPLETING, ...): the task's results may yet come.
bool slurm_state_alive(const std::string& state);
// What an ended array task's state means for its runs that handed back nothing: status (timeout, interrupted, oom,
// crashed) and why. `earlier`: the task belongs to a submission before this invocation, whose lost work is simply
// run again (JobEnd::run_again) when it was cancelled or went down with its node.
JobEnd slurm_task_end(const std::string& state, bool earlier, const std::string& log_file);

// The sbatch script of one array: each task runs `bsweep slurm-task` on its share.
struct ScriptPaths {
  std::string bsweep;      // absolute path of the bsweep program (the nodes run the same file)
  std::string submission;  // absolute path of the submission folder
  std::string array_file;  // its array file, relative to the submission folder
  std::string job_name;
};
std::string sbatch_script(const SlurmOptions& options, const ScriptPaths& paths);

}  // namespace bsweep
