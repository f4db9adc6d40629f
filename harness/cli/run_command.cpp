#include "cli/commands.h"
#include "run_limits.h"
#include "runner.h"

#include <unistd.h>

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunnerOptions>();
  auto max_memory = std::make_shared<std::string>();
  auto* command = app.add_subcommand("run", "train every run of a grid and write the results folder");
  command->add_option("grid", options->grid_file, "the grid, e.g. experiments/default.json")->required();
  command->add_option("-o,--out", options->out_dir, "results folder (default: results/<grid name>)");
  command->add_option("-j,--jobs", options->workers, "runs at once, each in its own process (default: one per core)")
      ->check(CLI::PositiveNumber);
  command->add_option("--threads", options->threads, "LibTorch intra-op threads per run (default: cores / jobs)")
      ->check(CLI::PositiveNumber);
  command->add_option("--timeout", options->timeout_s, "seconds a run may take before it is stopped (default: none)")
      ->check(CLI::PositiveNumber);
  command->add_option("--max-memory", *max_memory, "memory a run may use, e.g. 2G or 512M (default: none)");
  command->add_flag("--retry-failed", options->retry_failed, "run again the runs recorded as oom, timeout, crashed or error");
  command->add_flag("--force", options->force, "replace the results of a different grid in the folder");
  command->add_flag("-q,--quiet", options->quiet, "print nothing but errors");
  command->callback([options, max_memory, &exit_code] {
    const SweepSpec spec = load_sweep(options->grid_file);
    if (!max_memory->empty()) options->max_memory = parse_size(*max_memory, "--max-memory");
    if (options->out_dir.empty()) options->out_dir = default_results_dir(spec);
    options->terminal = isatty(STDOUT_FILENO) == 1;
    const SweepOutcome outcome = run_sweep(spec, *options, std::cout);
    exit_code = outcome.interrupted ? 130 : outcome.failed > 0 ? 1 : 0;
  });
}

}  // namespace bsweep::cli
