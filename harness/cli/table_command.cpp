#include "cli/commands.h"
#include "results/table.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_table_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string results, format = "markdown";
    int decimals = 4;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("table", "print the final weights of linear tasks by batch size");
  command->add_option("results", options->results, "a results folder, or its runs.csv")->required();
  command->add_option("--format", options->format, "markdown (default) or csv")
      ->check(CLI::IsMember({"markdown", "csv"}));
  command->add_option("--decimals", options->decimals, "decimals shown in markdown (default 4)")
      ->check(CLI::Range(0, 17));
  command->callback([options, &exit_code] {
    const auto table = build_weight_table(options->results);
    std::cout << (options->format == "csv" ? format_csv(table) : format_markdown(table, options->decimals));
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
