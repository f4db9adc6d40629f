// bsweep: batch-size sweeps with LibTorch. Exit codes: 0 done, 1 a run failed, 2 bad input (or standard output
// could not be written), 130 interrupted.
#include "cli/commands.h"
#include "util/errors.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace {

// What a command printed must reach its reader: a CI job that pipes `compare --format json` into a file on a full
// disk must not get an empty file and success. A failed write to stdout is an error at the end (the command's own
// work, a sweep's runs above all, is done and recorded by then), except after an interrupt, whose 130 says more.
int checked_stdout(int code) {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int why = errno;
  if (flushed && std::cout.good() && !std::ferror(stdout)) return code;
  if (code == 130) return code;
  std::cerr << fmt::format("bsweep: error: cannot write to standard output{}: what it printed is incomplete\n",
                           !flushed && why != 0 ? fmt::format(" ({})", std::strerror(why)) : "");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (`bsweep run ... | head -1`) is a failed write, reported at the end, not a death that loses the
  // sweep's work in flight.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"bsweep: batch-size experiments with LibTorch"};
  app.require_subcommand(1);
  int exit_code = 0;
  bsweep::cli::add_run_command(app, exit_code);
  bsweep::cli::add_list_command(app, exit_code);
  bsweep::cli::add_schema_command(app, exit_code);
  bsweep::cli::add_table_command(app, exit_code);
  bsweep::cli::add_compare_command(app, exit_code);
  bsweep::cli::add_plot_command(app, exit_code);
  bsweep::cli::add_report_command(app, exit_code);
  bsweep::cli::add_claims_command(app, exit_code);
  bsweep::cli::add_maxbatch_command(app, exit_code);
  bsweep::cli::add_merge_command(app, exit_code);
  bsweep::cli::add_slurm_task_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return checked_stdout(code == 0 ? 0 : 2);
  } catch (const bsweep::ToolError& error) {
    std::cerr << fmt::format("bsweep: error: {}\n", error.what());
    return 1;
  } catch (const bsweep::InputError& error) {
    std::cerr << fmt::format("bsweep: error: {}\n", error.what());
    return 2;
  } catch (const bsweep::ResourceError& error) {
    std::cerr << fmt::format("bsweep: error: {}\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::cerr << fmt::format("bsweep: internal error: {}\n", error.what());
    return 1;
  }
  return checked_stdout(exit_code);
}
