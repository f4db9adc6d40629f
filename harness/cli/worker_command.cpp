#include "cli/commands.h"
#include "worker.h"

#include <memory>

namespace bsweep::cli {

void add_worker_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<WorkerOptions>();
  // Hidden (empty group): started by `bsweep run`, not by people.
  auto* command = app.add_subcommand("_worker", "train the runs of a job file in this process")->group("");
  command->add_option("job", options->job_file)->required();
  command->add_option("--threads", options->threads);
  command->add_option("--max-memory", options->max_memory);
  command->callback([options, &exit_code] { exit_code = run_worker(*options); });
}

}  // namespace bsweep::cli
