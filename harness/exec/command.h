// Runs a program and captures what it prints: how bsweep talks to Slurm (sbatch, squeue, scontrol, sinfo) and
// gnuplot. No shell is involved: argv is the program's own.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bsweep {

struct CommandResult {
  int exit_code = -1;  // -1: it could not be started, or was killed by a signal (`err` says which)
  std::string out, err;
  bool input_unread = false;  // the program exited or closed its standard input before reading all of `input`
};

// Runs argv[0] (looked up in PATH) with `input` on its standard input (none: /dev/null); waits for it.
CommandResult run_command(const std::vector<std::string>& argv, const std::optional<std::string>& input = std::nullopt);

}  // namespace bsweep
