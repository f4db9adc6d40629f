#include "cli/commands.h"
#include "exec/slurm_task.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

// Run by the sbatch scripts `bsweep run --slurm` writes, on a node, not by people (hidden from --help).
void add_slurm_task_command(CLI::App& app, int& exit_code) {
  struct Arguments {
    std::string submission, array;
    std::size_t task = 0;
  };
  auto arguments = std::make_shared<Arguments>();
  auto* command = app.add_subcommand("slurm-task", "train one Slurm array task's jobs (run by the sbatch script)");
  command->group("");  // hidden from bsweep --help
  command->add_option("submission", arguments->submission, "the submission folder")->required();
  command->add_option("--array", arguments->array, "its array file")->required();
  command->add_option("--task", arguments->task, "the task's index in the array file")->required();
  command->callback([arguments, &exit_code] {
    exit_code = run_slurm_task(arguments->submission, arguments->array, arguments->task, std::cout);
  });
}

}  // namespace bsweep::cli
