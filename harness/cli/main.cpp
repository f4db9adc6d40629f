// bsweep: batch-size sweeps with LibTorch. Exit codes: 0 done, 1 a run failed, 2 bad input.
#include "cli/commands.h"
#include "errors.h"

#include <fmt/format.h>

#include <iostream>

int main(int argc, char** argv) {
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
    return code == 0 ? 0 : 2;
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
  return exit_code;
}
