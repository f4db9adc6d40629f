// The columns of every results file, in one place: headers, rows and the tables of docs/results.md come from here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bsweep {

// What a runs.csv column is to the readers of results: `bsweep compare` matches runs on the config columns
// (never the seed) and compares the metrics.
enum class Role {
  identity,  // names the run: run_id, index, seed, stream_previous
  config,    // set by the grid
  derived,   // follows from the config and the data: batch_size_effective, iterations, lstsq_*
  metric,    // measured: losses, accuracies, final linear weights, times, memory
  outcome,   // how it went: status, error, device_used
};

struct Column {
  std::string name;
  std::string unit;  // "" where it has none
  std::string doc;
  Role role = Role::derived;
  int better = 0;  // metrics: -1 lower is better (losses, times, memory), +1 higher (accuracy), 0 neither (weights)
};

// runs.csv: one row per run. The linear weight columns (w, or w0..w{k-1}, then b) sit where
// `weights_marker` stands; their count is fixed per grid (the widest linear task).
const std::vector<Column>& run_columns();
inline constexpr const char* kWeightsMarker = "{weights}";
std::vector<std::string> runs_header(std::int64_t linear_features);
// The name of weight i in a file whose widest linear task has `linear_features` weights: "w" when that is 1,
// else "w0", "w1", ... (a 1-feature task in a grid with a wider one fills w0 and leaves the rest empty).
std::string linear_weight_column(std::size_t i, std::int64_t linear_features);
// The column of runs.csv a header name stands for (a weight column: the weights marker's), or nullptr.
const Column* find_run_column(const std::string& name);
// Role of a header name; the weight columns w, w0, ..., b are metrics, lstsq_* derived.
Role run_column_role(const std::string& name);

// curves.csv: one row per logged point of a run; the linear weights where the marker stands, as in runs.csv.
const std::vector<Column>& curve_columns();
std::vector<std::string> curves_header(std::int64_t linear_features);
// weights.csv: every final parameter of every run.
const std::vector<Column>& weight_columns();
// probes.csv: the values a probe measures per curve point and batch size m (probes/measures.h, Destination::series).
const std::vector<Column>& series_columns();
// data.csv: the training set of tasks whose data lies in the plane, one run per task, generator and seed.
const std::vector<Column>& data_columns();

std::vector<std::string> header_of(const std::vector<Column>& columns);

// A row as field name -> text; `order` puts it in header order. A name outside the header is a bug.
using Row = std::map<std::string, std::string>;
std::vector<std::string> order(const Row& row, const std::vector<std::string>& header);

}  // namespace bsweep
