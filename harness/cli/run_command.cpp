#include "cli/commands.h"
#include "spec/run_limits.h"
#include "sweep/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

#include <iostream>
#include <memory>

namespace bsweep::cli {
namespace {

// Command-line values are checked here with messages a person can read (CLI11 prefixes the option's name).
CLI::Validator whole_number(int most) {
  return CLI::Validator(
      [most](std::string& text) -> std::string {
        // Digits only: no sign, point, exponent or space, so the number read is the whole of the text.
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        const double value = digits ? leading_number(text).first : 0;
        if (!digits || value < 1 || value > most)
          return fmt::format("expected a whole number from 1 to {}, got \"{}\"", most, text);
        return "";
      },
      fmt::format("1..{}", most));
}

CLI::Validator seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto [value, used] = leading_number(text);
        if (used == 0 || used != text.size() || !std::isfinite(value) || !(value > 0))
          return fmt::format("expected a positive number of seconds such as 30 or 0.5, got \"{}\"", text);
        return "";
      },
      "SECONDS");
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunnerOptions>();
  auto max_memory = std::make_shared<std::string>();
  auto max_tensor_memory = std::make_shared<std::string>();
  auto* command = app.add_subcommand("run", "train every run of a grid and write the results folder");
  command->add_option("grid", options->grid_file, "the grid, e.g. experiments/default.json")->required();
  command->add_option("-o,--out", options->out_dir, "results folder (default: results/<grid name>)");
  command->add_option("-j,--jobs", options->workers, "runs at once, each in its own process (default: one per core)")
      ->check(whole_number(1024));
  command->add_option("--threads", options->threads, "LibTorch intra-op threads per run (default: cores / jobs)")
      ->check(whole_number(1024));
  command->add_option("--timeout", options->timeout_s, "seconds a run may take before it is stopped (default: none)")
      ->check(seconds());
  command->add_option("--max-memory", *max_memory, "memory a run may use, e.g. 2G or 512M (default: none)");
  command->add_option("--max-tensor-memory", *max_tensor_memory, "live CPU tensor memory a run may hold, e.g. 64M: "
                      "past it a run is oom, as on a GPU (default: none)");
  command->add_flag_function("--no-batching", [options](std::int64_t) { options->batching = false; },
                    "train every run alone, none in a cohort (runs that differ only in seed, lr and momentum "
                    "otherwise train together as one program)");
  command->add_option("--max-cohort", options->max_cohort, "runs one cohort may hold at most (default: the grid's "
                      "max_cohort, else 64)")
      ->check(whole_number(static_cast<int>(kMaxCohort)));
  command->add_flag("--retry-failed", options->retry_failed, "run again the runs recorded as oom, timeout, crashed or error");
  command->add_flag("--force", options->force, "replace the results of a different grid in the folder");
  command->add_flag("-q,--quiet", options->quiet, "print nothing but errors");
  auto shard = std::make_shared<std::string>();
  command->add_option("--shard", *shard, "run only the K-th of N slices of about equal cost, e.g. 2/4, into a folder "
                      "of its own (join the folders with `bsweep merge`)");
  // Slurm (docs/cluster.md).
  auto& slurm = options->slurm_options;
  command->add_flag("--slurm", options->slurm, "run the jobs as a Slurm job array (the results folder must be on a "
                    "filesystem the nodes share)")->group("On a cluster");
  command->add_flag("--local", options->local, "run here, even in a folder whose sweep began on Slurm")
      ->group("On a cluster")->excludes("--slurm");
  command->add_option("--partition", slurm.partition, "Slurm partition (default: the cluster's)")->group("On a cluster");
  command->add_option("--time", slurm.time, "time limit of each array task, in sbatch's forms, e.g. 30 or 2:00:00 "
                      "(default: the partition's)")->group("On a cluster");
  command->add_option("--cpus-per-task", slurm.cpus_per_task, "CPUs of each array task: it runs that many jobs at "
                      "once (default 1)")->check(whole_number(1024))->group("On a cluster");
  command->add_option("--gpus", slurm.gpus, "GPUs of each array task (default 0)")
      ->check(CLI::Range(0, 64))->group("On a cluster");
  command->add_option("--max-array-tasks", slurm.max_array_tasks, "array tasks per submission at most: more runs "
                      "go into each (default: no limit; arrays above the cluster's MaxArraySize are split)")
      ->check(whole_number(1000000))->group("On a cluster");
  command->add_option("--runs-per-task", slurm.runs_per_task, "runs packed into one array task, balanced by expected "
                      "cost (default 16)")->check(whole_number(1000000))->group("On a cluster");
  command->add_flag_function("--no-wait", [options](std::int64_t) { options->slurm_options.wait = false; },
                             "return once submitted; a later `bsweep run` collects the results")->group("On a cluster");
  command->add_flag("--assume-shared", slurm.assume_shared, "skip the check that the nodes can see the results folder")
      ->group("On a cluster");
  command->callback([options, max_memory, max_tensor_memory, shard, &exit_code] {
    if (!shard->empty()) options->shard = parse_shard(*shard);
    if (!max_tensor_memory->empty()) options->max_tensor_bytes = parse_size(*max_tensor_memory, "--max-tensor-memory");
    const SweepSpec spec = load_sweep(options->grid_file);
    if (!max_memory->empty()) options->max_memory = parse_size(*max_memory, "--max-memory");
    if (options->out_dir.empty())
      options->out_dir = default_results_dir(spec) +
                         (options->shard.count > 0
                              ? fmt::format("-shard-{}-of-{}", options->shard.index, options->shard.count)
                              : "");
    options->terminal = isatty(STDOUT_FILENO) == 1;
    const SweepOutcome outcome = run_sweep(spec, *options, std::cout);
    exit_code = outcome.interrupted ? 130 : outcome.failed > 0 ? 1 : 0;  // from the folder's state: see runner.h
  });
}

}  // namespace bsweep::cli
