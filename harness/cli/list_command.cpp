#include "spec/batches.h"
#include "cli/commands.h"
#include "spec/grid.h"
#include "plan/planner.h"
#include "results/folder_files.h"
#include "results/schema.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace bsweep::cli {

// Above this estimated size of curves.csv, `bsweep list` warns.
constexpr double kLargeCurvesBytes = 50e6;

void add_list_command(CLI::App& app, int& exit_code) {
  auto grid_file = std::make_shared<std::string>();
  auto* command = app.add_subcommand("list", "print the runs a grid expands to, in order; trains nothing");
  command->add_option("grid", *grid_file, "the grid")->required();
  command->callback([grid_file, &exit_code] {
    const auto spec = load_sweep(*grid_file);
    const auto runs = expand(spec);
    for (const auto& warning : batch_size_warnings(runs)) std::cerr << warning << "\n";
    // The cohorts a fresh `bsweep run` of the grid trains (without --no-batching or --max-cohort).
    const auto max_cohort = spec.max_cohort > 0 ? spec.max_cohort : kDefaultMaxCohort;
    const auto jobs = plan_jobs(runs, {}, {true, static_cast<std::size_t>(max_cohort), spec.max_memory});
    std::map<std::string, std::string> cohort_of;
    std::size_t cohorts = 0;
    for (const auto& job : jobs) {
      if (!job.cohort) continue;
      ++cohorts;
      for (const auto* run : job.runs)
        cohort_of[run->id] = fmt::format("{} ({})", job.runs.front()->id, job.runs.size());
    }
    std::cout << fmt::format("{:>5}  {:<12}  {:<10} {:>6} {:>8} {:<10} {:>10} {:<7} {:<5} {:>5} {:>6} {:>9}  {}\n",
                             "index", "run_id", "task", "batch", "lr", "optimizer", "budget", "dtype", "device",
                             "seed", "it/ep", "it total", "cohort (size)");
    for (const auto& run : runs) {
      const auto plan = plan_batches(run);
      const std::string budget = fmt::format(
          "{}{}", run.budget.value, run.budget.kind == Budget::Kind::epochs ? " ep" : " st");
      const auto cohort = cohort_of.find(run.id);
      std::cout << fmt::format("{:>5}  {:<12}  {:<10} {:>6} {:>8g} {:<10} {:>10} {:<7} {:<5} {:>5} {:>6} {:>9}  {}\n",
                               run.index, run.id, run.task.name, run.batch_size.label(), run.lr, run.optimizer.label(), budget,
                               run.dtype, run.device, run.seed, plan.iterations_per_epoch,
                               total_iterations(plan, run.budget), cohort == cohort_of.end() ? "alone" : cohort->second);
    }
    std::cout << fmt::format("{} runs in {} jobs ({} cohorts)\n", runs.size(), jobs.size(), cohorts);
    // curves.csv gets a point at every epoch end, the start, and every log_every iterations: said before a sweep
    // fills a disk with them, by an estimate of about 9 bytes a column a point (what the shipped grids write).
    const double point_bytes = 9.0 * static_cast<double>(curves_header(widest_linear_task(spec)).size());
    double points = 0;
    for (const auto& run : runs) {
      const auto plan = plan_batches(run);
      const auto iterations = total_iterations(plan, run.budget);
      const auto epochs = plan.iterations_per_epoch > 0 ? iterations / plan.iterations_per_epoch + 1 : 1;
      points += static_cast<double>(epochs + 1 + (run.log_every > 0 ? iterations / run.log_every : 0));
    }
    const double curve_bytes = points * point_bytes;
    if (curve_bytes > kLargeCurvesBytes)
      std::cerr << fmt::format("warning: this grid's curves.csv will hold about {:.3g} million points, about {:.0f} "
                               "MB (log_every, epochs and steps decide it; readers of the folder hold it in memory): "
                               "raise log_every, or set it to 0 for epoch ends only\n",
                               points / 1e6, curve_bytes / 1e6);
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
