#include "cli/commands.h"
#include "spec/measures.h"
#include "results/schema.h"
#include "results/status.h"

#include <fmt/format.h>

#include <iostream>

namespace bsweep::cli {
namespace {

void print_table(const std::string& file, const std::vector<Column>& columns) {
  std::cout << fmt::format("`{}`\n\n| column | unit | meaning |\n|---|---|---|\n", file);
  const std::string weights = file == "runs.csv" ? "`w` or `w0`, `w1`, ...; `b`; `lstsq_w` or `lstsq_w0`, ...; `lstsq_b`"
                                                 : "`w` or `w0`, `w1`, ...; `b`";
  for (const auto& column : columns) {
    const std::string name = column.name == kWeightsMarker ? weights : "`" + column.name + "`";
    std::cout << fmt::format("| {} | {} | {} |\n", name, column.unit, column.doc);
  }
  std::cout << "\n";
}

}  // namespace

void add_schema_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("schema", "print the columns of the results files as Markdown tables");
  command->callback([&exit_code] {
    print_table("runs.csv", run_columns());
    print_table("curves.csv", curve_columns());
    print_table("weights.csv", weight_columns());
    print_table("probes.csv", series_columns());
    std::cout << "`probes.csv` quantities\n\n| quantity | unit | meaning |\n|---|---|---|\n";
    for (const auto& measure : measures())
      if (measure.where == Destination::series)
        std::cout << fmt::format("| `{}` | {} | {} |\n", measure.name, measure.unit, measure.doc);
    std::cout << "\n";
    print_table("data.csv", data_columns());
    std::cout << "Run statuses (the `status` column)\n\n| status | what happened |\n|---|---|\n";
    for (const auto& status : run_statuses()) std::cout << fmt::format("| `{}` | {} |\n", status.name, status.meaning);
    std::cout << "\n";
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
