// Each subcommand adds itself to the app; its callback sets the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace bsweep::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_schema_command(CLI::App& app, int& exit_code);
void add_table_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_plot_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_claims_command(CLI::App& app, int& exit_code);
void add_maxbatch_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_slurm_task_command(CLI::App& app, int& exit_code);

}  // namespace bsweep::cli
