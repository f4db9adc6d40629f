#include "exec/slurm_plan.h"

#include "util/errors.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

using namespace bsweep;

TEST_CASE("runs are packed into ceil(runs / runs_per_task) tasks of about equal expected cost") {
  // Six jobs of one run each, costs 6..1, two runs a task: three tasks, each 7.
  const std::vector<double> costs = {1, 2, 3, 4, 5, 6};
  const auto tasks = pack_tasks(costs, {1, 1, 1, 1, 1, 1}, 2, 0);
  REQUIRE(tasks.size() == 3);
  std::vector<std::size_t> all;
  for (const auto& task : tasks) {
    double load = 0;
    for (const auto job : task) load += costs[job];
    CHECK(load == 7);
    all.insert(all.end(), task.begin(), task.end());
  }
  std::sort(all.begin(), all.end());
  CHECK(all == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});  // every job once
}

TEST_CASE("a cohort's runs count towards a task's share, and --max-array-tasks caps the tasks") {
  // One cohort of 40 runs and ten single runs: 50 runs at 16 a task is 4 tasks; capped at 2.
  std::vector<double> costs(11, 1.0);
  std::vector<std::size_t> runs(11, 1);
  runs[0] = 40;
  costs[0] = 40;
  CHECK(pack_tasks(costs, runs, 16, 0).size() == 4);
  CHECK(pack_tasks(costs, runs, 16, 2).size() == 2);
  // Never more tasks than jobs, never none.
  CHECK(pack_tasks({1.0, 1.0}, {1, 1}, 1, 0).size() == 2);
  CHECK(pack_tasks({1.0, 1.0}, {30, 30}, 1000, 0).size() == 1);
  CHECK(pack_tasks({}, {}, 16, 0).empty());
}

TEST_CASE("an array larger than the cluster's MaxArraySize is cut into parts") {
  CHECK(array_parts(10, 4) == std::vector<std::size_t>{0, 4, 8});
  CHECK(array_parts(4, 4) == std::vector<std::size_t>{0});
  CHECK(array_parts(1, 1001) == std::vector<std::size_t>{0});
  CHECK(parse_max_array_size("AuthType = auth/munge\nMaxArraySize            = 4\nMaxJobCount = 10000\n") == 4);
  CHECK(parse_max_array_size("AuthType = auth/munge\n") == 1001);  // Slurm's default
}

TEST_CASE("squeue's lines become task states; what does not parse is skipped") {
  const auto states = parse_squeue("0|COMPLETED\n1|RUNNING\n  2|PENDING  \nslurm_load_jobs error\n3|\n");
  REQUIRE(states.size() == 3);
  CHECK(states[0] == std::make_pair(std::size_t{0}, std::string("COMPLETED")));
  CHECK(states[2] == std::make_pair(std::size_t{2}, std::string("PENDING")));
}

TEST_CASE("Slurm's job states map to the statuses of the runs a task left without a result") {
  CHECK(slurm_state_alive("PENDING"));
  CHECK(slurm_state_alive("COMPLETING"));
  CHECK_FALSE(slurm_state_alive("COMPLETED"));
  CHECK_FALSE(slurm_state_alive("CANCELLED"));
  CHECK(slurm_task_end("TIMEOUT", false, "l").status == RunStatus::timeout);
  CHECK(slurm_task_end("CANCELLED", false, "l").status == RunStatus::interrupted);
  CHECK(slurm_task_end("NODE_FAIL", false, "l").status == RunStatus::crashed);
  CHECK(slurm_task_end("OUT_OF_MEMORY", false, "l").status == RunStatus::oom);
  CHECK(slurm_task_end("FAILED", false, "the/log").lost.find("the/log") != std::string::npos);
  // In this invocation a cancelled task is recorded; an earlier submission's lost work simply runs again.
  CHECK_FALSE(slurm_task_end("CANCELLED", false, "l").run_again);
  CHECK(slurm_task_end("CANCELLED", true, "l").run_again);
  CHECK(slurm_task_end("NODE_FAIL", true, "l").run_again);
  CHECK_FALSE(slurm_task_end("TIMEOUT", true, "l").run_again);
  CHECK(slurm_task_end("", false, "l").run_again);  // Slurm forgot the task: nothing to record
}

TEST_CASE("a task time limit takes sbatch's forms only") {
  for (const char* good : {"30", "1:30", "2:00:00", "1-12", "1-12:30", "1-12:30:15", "infinite"}) CHECK(valid_slurm_time(good));
  for (const char* bad : {"", "1h", "-5", "1:2:3:4", "30 ", "1-"}) CHECK_FALSE(valid_slurm_time(bad));
}

TEST_CASE("the sbatch script asks for what was given and runs bsweep slurm-task on its task") {
  SlurmOptions options;
  options.partition = "gpu";
  options.time = "1:00:00";
  options.cpus_per_task = 4;
  options.gpus = 1;
  const auto script = sbatch_script(options, {"/opt/bsweep", "/shared/r/slurm/abc", "array-0.json", "bsweep-x"});
  CHECK(script.rfind("#!/bin/bash\n", 0) == 0);
  for (const char* line : {"#SBATCH --partition=gpu\n", "#SBATCH --time=1:00:00\n", "#SBATCH --cpus-per-task=4\n",
                           "#SBATCH --gpus=1\n", "#SBATCH --job-name=bsweep-x\n",
                           "#SBATCH --output=/shared/r/slurm/abc/logs/%A_%a.out\n"})
    CHECK(script.find(line) != std::string::npos);
  CHECK(script.find("exec '/opt/bsweep' slurm-task '/shared/r/slurm/abc' --array 'array-0.json' --task "
                    "\"$((SLURM_ARRAY_TASK_ID + ${1:-0}))\"") != std::string::npos);
  // Defaults ask for nothing the cluster must decide.
  const auto plain = sbatch_script(SlurmOptions{}, {"/b", "/s", "a.json", "n"});
  CHECK(plain.find("--partition") == std::string::npos);
  CHECK(plain.find("--time") == std::string::npos);
  CHECK(plain.find("--gpus") == std::string::npos);
}

TEST_CASE("the Slurm options and the array file survive their JSON; a bad one names the place") {
  SlurmOptions options;
  options.partition = "p";
  options.runs_per_task = 3;
  options.max_array_tasks = 7;
  const auto back = slurm_options_from_json(slurm_options_json(options), "slurm");
  CHECK(back.partition == "p");
  CHECK(back.runs_per_task == 3);
  CHECK(back.max_array_tasks == 7);
  CHECK_THROWS_WITH(slurm_options_from_json({{"runs_per_task", 0}}, "manifest.json: slurm"),
                    Catch::Contains("runs_per_task"));

  ArrayFile array;
  array.workers = {2, 1, 1 << 20, 0};
  array.tasks = {{{"job-0.json", 30}}, {{"job-1.json", 0}, {"job-2.json", 5}}};
  const auto path = (std::filesystem::temp_directory_path() / "bsweep_array_test.json").string();
  std::ofstream(path) << array_file_json(array).dump();
  const auto read = read_array_file(path);
  CHECK(read.workers.workers == 2);
  CHECK(read.workers.max_memory == 1 << 20);
  REQUIRE(read.tasks.size() == 2);
  CHECK(read.tasks[1][1].file == "job-2.json");
  CHECK(read.tasks[0][0].time_limit_s == 30);
  std::ofstream(path) << R"({"workers": {"workers": 1}, "tasks": [[{"job": 3}]]})";
  CHECK_THROWS_AS(read_array_file(path), InputError);
  std::filesystem::remove(path);
}
