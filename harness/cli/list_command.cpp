#include "batches.h"
#include "cli/commands.h"
#include "grid.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

namespace bsweep::cli {

void add_list_command(CLI::App& app, int& exit_code) {
  auto grid_file = std::make_shared<std::string>();
  auto* command = app.add_subcommand("list", "print the runs a grid expands to, in order; trains nothing");
  command->add_option("grid", *grid_file, "the grid")->required();
  command->callback([grid_file, &exit_code] {
    const auto runs = expand(load_sweep(*grid_file));
    for (const auto& warning : batch_size_warnings(runs)) std::cerr << warning << "\n";
    std::cout << fmt::format("{:>5}  {:<12}  {:<10} {:>6} {:>8} {:<10} {:>10} {:<7} {:<5} {:>5} {:>6} {:>9}\n",
                             "index", "run_id", "task", "batch", "lr", "optimizer", "budget", "dtype", "device",
                             "seed", "it/ep", "it total");
    for (const auto& run : runs) {
      const auto plan = plan_batches(run);
      const std::string budget = fmt::format(
          "{}{}", run.budget.value, run.budget.kind == Budget::Kind::epochs ? " ep" : " st");
      std::cout << fmt::format("{:>5}  {:<12}  {:<10} {:>6} {:>8g} {:<10} {:>10} {:<7} {:<5} {:>5} {:>6} {:>9}\n",
                               run.index, run.id, run.task.name, run.batch_size.label(), run.lr, run.optimizer.label(), budget,
                               run.dtype, run.device, run.seed, plan.iterations_per_epoch,
                               total_iterations(plan, run.budget));
    }
    std::cout << fmt::format("{} runs\n", runs.size());
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
