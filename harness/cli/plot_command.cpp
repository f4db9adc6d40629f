#include "cli/commands.h"
#include "plot/figures.h"
#include "plot/sweep_view.h"
#include "report/report.h"
#include "results/scratch_folder.h"
#include "results/writer.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace bsweep::cli {
namespace fs = std::filesystem;

void add_plot_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string results, out, format = "png";
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("plot", "draw the figures of a results folder with gnuplot");
  command->add_option("results", options->results, "a results folder")->required();
  command->add_option("-o,--out", options->out, "folder for the pictures (default: RESULTS/plots)");
  command->add_option("--format", options->format, "png (default) or svg")->check(CLI::IsMember({"png", "svg"}));
  command->callback([options, &exit_code] {
    const auto view = load_sweep_view(options->results);
    const std::string out = options->out.empty() ? (fs::path(options->results) / "plots").string() : options->out;
    for (const auto& figure : draw_figures(view, out, options->format)) std::cout << figure.path << "\n";
    exit_code = 0;
  });
}

void add_report_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string results, out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("report", "write one self-contained HTML page for a results folder");
  command->add_option("results", options->results, "a results folder")->required();
  command->add_option("-o,--out", options->out, "the page (default: RESULTS/report.html)");
  command->callback([options, &exit_code] {
    const auto view = load_sweep_view(options->results);
    const std::string out = options->out.empty() ? (fs::path(options->results) / "report.html").string() : options->out;
    std::string page;
    {
      // The figures are drawn into a private folder beside the page, embedded, and removed.
      const ScratchFolder folder(fs::path(out).parent_path().string());
      page = render_report(view, draw_figures(view, folder.path(), "png"));
    }
    write_atomically(out, page);
    std::cout << out << "\n";
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
