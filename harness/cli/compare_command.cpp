#include "cli/commands.h"
#include "compare/compare.h"
#include "compare/compare_format.h"
#include "compare/gate.h"

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

namespace bsweep::cli {

void add_compare_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string base, next, format = "text", colour = "auto";
    CompareOptions compare;
    std::vector<std::string> gates;
    bool significant_only = false, strict = false, allow_diverged = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "compare", "compare two results (folders or runs.csv) over seeds; exit 1 when a --fail-if gate trips");
  command->add_option("base", options->base, "the baseline: a results folder or its runs.csv")->required();
  command->add_option("new", options->next, "the results to judge: a results folder or its runs.csv")->required();
  command->add_option("--ignore", options->compare.ignore,
                      "a configuration column left out of the match, e.g. device to compare CPU with CUDA (repeat)");
  command->add_option("--metric", options->compare.metrics,
                      "compare only this metric: a column, the same without final_, or a pattern like '*_loss' "
                      "(repeat; default: every metric)");
  command->add_option("--fail-if", options->gates,
                      "a gate, e.g. 'test_loss>+5%', 'wall_s>+10%', '|w|>1e-6' (repeat; see docs/compare.md)");
  command->add_flag("--significant", options->significant_only,
                    "gates trip only where the change is significant (p < alpha)");
  command->add_flag("--strict", options->strict,
                    "also fail when a configuration is on one side only or a run in new did not finish ok");
  command->add_flag("--allow-diverged", options->allow_diverged,
                    "gates judge the runs that finished even where new lost more runs to divergence than base "
                    "(default: such a configuration fails the gates)");
  command->add_option("--alpha", options->compare.alpha, "significance level (default 0.05)")
      ->check(CLI::Range(1e-12, 0.5));
  command->add_option("--format", options->format, "text (default), markdown, csv or json")
      ->check(CLI::IsMember({"text", "markdown", "csv", "json"}));
  command->add_option("--color", options->colour, "auto (default: on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command->callback([options, &exit_code] {
    // Gates first: a mistyped gate is bad input before any file is read.
    std::vector<Gate> gates;
    for (const auto& text : options->gates) gates.push_back(parse_gate(text));
    // The two files are read side by side; base's error, if both fail, is the one told.
    auto reading_base = std::async(std::launch::async, [&] { return read_runs_file(options->base); });
    std::optional<RunsFile> next_read;
    std::exception_ptr next_error;
    try {
      next_read = read_runs_file(options->next);
    } catch (...) {
      next_error = std::current_exception();
    }
    const auto base = reading_base.get();
    if (next_error) std::rethrow_exception(next_error);
    const auto& next = *next_read;
    const auto comparison = compare_runs(base, next, options->compare);
    const auto trips = evaluate_gates(comparison, gates, options->significant_only);
    const CompareOutcome outcome{comparison, gates, trips, options->strict, options->allow_diverged};
    const bool colour = options->colour == "always" ||
                        (options->colour == "auto" && isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr);
    if (options->format == "markdown") std::cout << format_compare_markdown(outcome);
    else if (options->format == "csv") std::cout << format_compare_csv(outcome);
    else if (options->format == "json") std::cout << format_compare_json(outcome);
    else std::cout << format_compare_text(outcome, colour);
    exit_code = outcome.failed() ? 1 : 0;
  });
}

}  // namespace bsweep::cli
