#include "cli/commands.h"
#include "runner.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunnerOptions>();
  auto* command = app.add_subcommand("run", "train every run of a grid and write the results folder");
  command->add_option("grid", options->grid_file, "the grid, e.g. experiments/default.json")->required();
  command->add_option("-o,--out", options->out_dir, "results folder (default: results/<grid name>)");
  command->add_option("--threads", options->threads, "LibTorch intra-op threads (default: LibTorch's choice)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--force", options->force, "replace the results of a different grid in the folder");
  command->add_flag("-q,--quiet", options->quiet, "print nothing but errors");
  command->callback([options, &exit_code] {
    const SweepSpec spec = load_sweep(options->grid_file);
    if (options->out_dir.empty()) options->out_dir = default_results_dir(spec);
    const SweepOutcome outcome = run_sweep(spec, *options, std::cout);
    exit_code = outcome.failed > 0 ? 1 : 0;
  });
}

}  // namespace bsweep::cli
