// Runs a program and captures what it prints: how bsweep talks to Slurm (sbatch, squeue, scontrol, sinfo).
#pragma once

#include <string>
#include <vector>

namespace bsweep {

struct CommandResult {
  int exit_code = -1;  // -1: it could not be started, or was killed by a signal (`err` says which)
  std::string out, err;
};

// Runs argv[0] (looked up in PATH) with no input; waits for it.
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace bsweep
