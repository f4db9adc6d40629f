// The readers of a results folder as `table`, `compare`, `plot` and `report` use them, on one input: runs.csv,
// curves.csv, manifest.json and data.csv one after another, each ended by a line "@@@@" (fewer parts: fewer files).
// Shared by the results fuzzer and the replay of its findings. Only InputError may escape the readers.
#pragma once

#include "compare/compare.h"
#include "compare/compare_format.h"
#include "util/errors.h"
#include "plot/sweep_view.h"
#include "report/report.h"
#include "results/runs_file.h"
#include "results/table.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace bsweep::fuzz::detail {

// A private folder for the process's life, removed at exit.
inline const std::string& folder() {
  struct Folder {
    std::string path;
    Folder() {
      char name[] = "/tmp/bsweep-results-fuzz-XXXXXX";
      if (mkdtemp(name) == nullptr) std::abort();
      path = name;
    }
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.path;
}

inline void write(const std::string& name, const std::string& text) {
  std::ofstream out(folder() + "/" + name, std::ios::binary | std::ios::trunc);
  out << text;
}

template <typename F>
inline void expect_input_errors_only(F&& read) {
  try {
    read();
  } catch (const bsweep::InputError&) {
  }
}

}  // namespace bsweep::fuzz::detail

namespace bsweep::fuzz {

// Writes the parts of `input` into a private folder and reads it every way; InputErrors are swallowed.
inline void read_results_input(const std::string& input) {
  using detail::expect_input_errors_only;
  using detail::folder;
  using detail::write;
  const char* const names[] = {"runs.csv", "curves.csv", "manifest.json", "data.csv"};
  std::size_t start = 0;
  for (const char* name : names) {
    std::filesystem::remove(folder() + "/" + name);
    if (start > input.size()) continue;
    const auto end = input.find("@@@@\n", start);
    write(name, input.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? input.size() + 1 : end + 5;
  }
  expect_input_errors_only([] {
    const auto table = bsweep::build_weight_table(folder());
    bsweep::format_markdown(table, 4);
    bsweep::format_csv(table);
  });
  expect_input_errors_only([] {
    const auto runs = bsweep::read_runs_file(folder());
    const auto comparison = bsweep::compare_runs(runs, runs, bsweep::CompareOptions{});
    const std::vector<bsweep::Gate> gates;
    const std::vector<bsweep::GateTrip> trips;
    const bsweep::CompareOutcome outcome{comparison, gates, trips, true};
    bsweep::format_compare_text(outcome, true);
    bsweep::format_compare_markdown(outcome);
    bsweep::format_compare_csv(outcome);
    bsweep::format_compare_json(outcome);
  });
  expect_input_errors_only([] {
    const auto view = bsweep::load_sweep_view(folder());
    for (const auto& task : view.tasks)
      for (const auto& line : task.lines) {
        bsweep::curve_band(view, line, "epoch", "train_loss");
        bsweep::curve_band(view, line, "elapsed_s", "test_loss");
        bsweep::run_summary(view, line, "final_train_loss");
        for (auto row : line.ok_rows) bsweep::training_data(view, row);
      }
    bsweep::render_report(view, {});
  });
}

}  // namespace bsweep::fuzz
