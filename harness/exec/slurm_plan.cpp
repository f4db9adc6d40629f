#include "exec/slurm_plan.h"

#include "util/errors.h"
#include "util/json_path.h"
#include "plan/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <regex>
#include <sstream>

namespace bsweep {

nlohmann::json slurm_options_json(const SlurmOptions& options) {
  return {{"partition", options.partition},
          {"time", options.time},
          {"cpus_per_task", options.cpus_per_task},
          {"gpus", options.gpus},
          {"max_array_tasks", options.max_array_tasks},
          {"runs_per_task", options.runs_per_task},
          {"assume_shared", options.assume_shared}};
}

SlurmOptions slurm_options_from_json(const nlohmann::json& json, const std::string& where) {
  require_object(json, where);
  require_known_keys(json, where,
                     {"partition", "time", "cpus_per_task", "gpus", "max_array_tasks", "runs_per_task", "assume_shared"});
  SlurmOptions options;
  if (json.contains("partition")) options.partition = read_string(json["partition"], path_key(where, "partition"));
  if (json.contains("time")) options.time = read_string(json["time"], path_key(where, "time"));
  if (json.contains("cpus_per_task"))
    options.cpus_per_task = static_cast<int>(read_positive_int(json["cpus_per_task"], path_key(where, "cpus_per_task")));
  if (json.contains("gpus")) options.gpus = static_cast<int>(read_non_negative_int(json["gpus"], path_key(where, "gpus")));
  if (json.contains("max_array_tasks"))
    options.max_array_tasks =
        static_cast<std::size_t>(read_non_negative_int(json["max_array_tasks"], path_key(where, "max_array_tasks")));
  if (json.contains("runs_per_task"))
    options.runs_per_task =
        static_cast<std::size_t>(read_positive_int(json["runs_per_task"], path_key(where, "runs_per_task")));
  if (json.contains("assume_shared"))
    options.assume_shared = read_bool(json["assume_shared"], path_key(where, "assume_shared"));
  return options;
}

bool valid_slurm_time(const std::string& text) {
  static const std::regex forms(R"(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+|infinite|unlimited)");
  return std::regex_match(text, forms);
}

nlohmann::json array_file_json(const ArrayFile& array) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& task : array.tasks) {
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& job : task) jobs.push_back({{"job", job.file}, {"time_limit_s", job.time_limit_s}});
    tasks.push_back(jobs);
  }
  const auto& w = array.workers;
  return {{"workers",
           {{"workers", w.workers}, {"threads", w.threads}, {"max_memory", w.max_memory},
            {"max_tensor_bytes", w.max_tensor_bytes}}},
          {"tasks", tasks}};
}

ArrayFile read_array_file(const std::string& path) {
  const auto json = parse_json_file(path);
  require_object(json, "");
  require_known_keys(json, "", {"workers", "tasks"});
  if (!json.contains("workers") || !json.contains("tasks"))
    throw InputError(fmt::format("{}: needs \"workers\" and \"tasks\"", path));
  ArrayFile array;
  const auto& w = json["workers"];
  require_object(w, "workers");
  require_known_keys(w, "workers", {"workers", "threads", "max_memory", "max_tensor_bytes"});
  array.workers.workers = static_cast<int>(read_positive_int(w.value("workers", nlohmann::json(1)), "workers.workers"));
  array.workers.threads = static_cast<int>(read_positive_int(w.value("threads", nlohmann::json(1)), "workers.threads"));
  array.workers.max_memory = read_non_negative_int(w.value("max_memory", nlohmann::json(0)), "workers.max_memory");
  array.workers.max_tensor_bytes =
      read_non_negative_int(w.value("max_tensor_bytes", nlohmann::json(0)), "workers.max_tensor_bytes");
  const auto& tasks = json["tasks"];
  if (!tasks.is_array()) fail_at("tasks", "a list", tasks);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto task_path = path_index("tasks", t);
    if (!tasks[t].is_array()) fail_at(task_path, "a list", tasks[t]);
    std::vector<TaskJob> jobs;
    for (std::size_t j = 0; j < tasks[t].size(); ++j) {
      const auto job_path = path_index(task_path, j);
      const auto& job = tasks[t][j];
      require_object(job, job_path);
      require_known_keys(job, job_path, {"job", "time_limit_s"});
      if (!job.contains("job")) throw InputError(fmt::format("{}: {}: missing", path, path_key(job_path, "job")));
      jobs.push_back({read_string(job["job"], path_key(job_path, "job")),
                      read_non_negative_number(job.value("time_limit_s", nlohmann::json(0)),
                                               path_key(job_path, "time_limit_s"))});
    }
    array.tasks.push_back(std::move(jobs));
  }
  return array;
}

std::vector<std::vector<std::size_t>> pack_tasks(const std::vector<double>& costs, const std::vector<std::size_t>& runs,
                                                 std::size_t runs_per_task, std::size_t max_tasks) {
  if (costs.empty()) return {};
  const std::size_t total_runs = std::accumulate(runs.begin(), runs.end(), std::size_t{0});
  std::size_t count = (total_runs + std::max<std::size_t>(1, runs_per_task) - 1) / std::max<std::size_t>(1, runs_per_task);
  if (max_tasks > 0) count = std::min(count, max_tasks);
  count = std::clamp<std::size_t>(count, 1, costs.size());
  return balance_by_cost(costs, count);
}

std::vector<std::size_t> array_parts(std::size_t tasks, std::size_t max_array_size) {
  std::vector<std::size_t> firsts;
  const std::size_t size = std::max<std::size_t>(1, max_array_size);
  for (std::size_t first = 0; first < tasks; first += size) firsts.push_back(first);
  return firsts;
}

std::size_t parse_max_array_size(const std::string& scontrol_config) {
  static const std::regex line(R"((^|\n)\s*MaxArraySize\s*=\s*(\d+))");
  std::smatch match;
  if (std::regex_search(scontrol_config, match, line)) return std::stoull(match[2].str());
  return 1001;
}

std::vector<std::pair<std::size_t, std::string>> parse_squeue(const std::string& out) {
  std::vector<std::pair<std::size_t, std::string>> states;
  std::istringstream lines(out);
  std::string text;
  static const std::regex form(R"(\s*(\d+)\|([A-Z_]+)\s*)");
  while (std::getline(lines, text)) {
    std::smatch match;
    if (std::regex_match(text, match, form)) states.emplace_back(std::stoull(match[1].str()), match[2].str());
  }
  return states;
}

bool slurm_state_alive(const std::string& state) {
  static const char* const alive[] = {"PENDING",   "CONFIGURING", "RUNNING",   "COMPLETING", "SUSPENDED",
                                      "REQUEUED",  "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING",
                                      "STAGE_OUT", "STOPPED",      "RESV_DEL_HOLD"};
  return std::find_if(std::begin(alive), std::end(alive), [&](const char* s) { return state == s; }) != std::end(alive);
}

JobEnd slurm_task_end(const std::string& state, bool earlier, const std::string& log_file) {
  JobEnd end;
  const std::string log = fmt::format(" (its log: {})", log_file);
  if (state == "TIMEOUT" || state == "DEADLINE") {
    end.status = RunStatus::timeout;
    end.lost = fmt::format("its Slurm array task passed its time limit ({}): give --time more, or --runs-per-task less",
                           state);
  } else if (state == "CANCELLED" || state == "PREEMPTED") {
    end.status = RunStatus::interrupted;
    end.lost = fmt::format("its Slurm array task was {} before the run ended", state == "CANCELLED" ? "cancelled" : "preempted");
    end.run_again = earlier;
  } else if (state == "OUT_OF_MEMORY") {
    end.status = RunStatus::oom;
    end.lost = "its Slurm array task ran past the memory Slurm allows it (OUT_OF_MEMORY)" + log;
  } else if (state == "NODE_FAIL" || state == "BOOT_FAIL") {
    end.status = RunStatus::crashed;
    end.lost = fmt::format("its Slurm array task was lost with its node ({})", state);
    end.run_again = earlier;
  } else if (state.empty()) {
    // Slurm no longer knows the task (it forgets ended jobs after MinJobAge) and it left no result: work lost.
    end.status = RunStatus::crashed;
    end.lost = "its Slurm array task ended without a result and Slurm no longer knows how";
    end.run_again = true;
  } else {
    end.status = RunStatus::crashed;
    end.lost = fmt::format("its Slurm array task ended {} without the run's result{}; if that log is missing, the "
                           "node could not write the results folder: it must be on a filesystem the nodes share",
                           state, log);
  }
  return end;
}

std::string sbatch_script(const SlurmOptions& options, const ScriptPaths& paths) {
  std::string script = "#!/bin/bash\n";
  script += fmt::format("#SBATCH --job-name={}\n", paths.job_name);
  script += fmt::format("#SBATCH --output={}/logs/%A_%a.out\n", paths.submission);
  script += fmt::format("#SBATCH --cpus-per-task={}\n", options.cpus_per_task);
  if (!options.partition.empty()) script += fmt::format("#SBATCH --partition={}\n", options.partition);
  if (!options.time.empty()) script += fmt::format("#SBATCH --time={}\n", options.time);
  if (options.gpus > 0) script += fmt::format("#SBATCH --gpus={}\n", options.gpus);
  script += "# Written by `bsweep run --slurm` and submitted as a job array: sbatch --array=0-N SCRIPT OFFSET, where\n"
            "# OFFSET is the first task of this part (an array larger than the cluster's MaxArraySize goes in parts).\n"
            "# Each task trains its share of the jobs in the array file and hands every run's result to this folder\n"
            "# by atomic rename; `bsweep run` on the results folder records them.\n";
  script += fmt::format("exec '{}' slurm-task '{}' --array '{}' --task \"$((SLURM_ARRAY_TASK_ID + ${{1:-0}}))\"\n",
                        paths.bsweep, paths.submission, paths.array_file);
  return script;
}

}  // namespace bsweep
