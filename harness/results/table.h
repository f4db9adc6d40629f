// `bsweep table`: the final weights of the linear task by batch size, in the notes' shape (batch size, regime,
// w, b; mean ± std over seeds; one row per batch size and value of every other setting that varies), with the
// least-squares solution of the same data and, where the grid carries "expected" values (e.g. a table printed in
// the notes), those values beside, marked where they differ.
// Reads results files only.
#pragma once

#include "stats/summary.h"

#include <optional>
#include <string>
#include <vector>

namespace bsweep {

struct WeightRow {
  std::string task;
  std::string batch_size;  // as in the grid: "1", "full", ...; "least squares" for the reference row
  std::vector<std::string> axes;  // the row's value of each WeightTable::axes (empty for the reference row)
  std::string batch_size_effective;
  std::string regime;  // stochastic (batch 1), mini-batch, full batch, or empty
  std::vector<Summary> values;                 // one per WeightTable::names
  std::vector<std::optional<double>> printed;  // the grid's expected value, if any
  std::vector<bool> differs;                   // printed differs from the mean rounded to `digits` decimals
};

struct WeightTable {
  std::string source;              // the results folder or file
  std::vector<std::string> names;  // w (or w0, w1, ...), b
  // Settings other than the batch size that vary among the runs of a linear task (lr, optimizer, epochs, ...),
  // in the schema's order: each value of them is a row of its own, never pooled with another.
  std::vector<std::string> axes;
  std::vector<WeightRow> rows;
  std::string printed_source;  // where the expected values were printed ("" if none)
  int printed_digits = 2;
  std::size_t failed_runs = 0;  // linear runs left out because they did not finish ok
};

// RESULTS is a results folder or its runs.csv; expected values come from the manifest's copy of the grid.
WeightTable build_weight_table(const std::string& results);
std::string format_markdown(const WeightTable& table, int decimals);
std::string format_csv(const WeightTable& table);

}  // namespace bsweep
