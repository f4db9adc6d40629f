#include "cli/commands.h"
#include "plot/sweep_view.h"
#include "report/claims.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_claims_command(CLI::App& app, int& exit_code) {
  auto results = std::make_shared<std::string>();
  auto* command = app.add_subcommand("claims", "print what a sweep says about each of the notes' claims");
  command->add_option("results", *results, "a results folder")->required();
  command->callback([results, &exit_code] {
    const auto view = load_sweep_view(*results);
    std::cout << format_claims(assess_claims(view), advise(view));
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
