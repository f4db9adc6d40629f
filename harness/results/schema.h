// The columns of every results file, in one place: headers, rows and the README's tables come from here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bsweep {

struct Column {
  std::string name;
  std::string unit;  // "" where it has none
  std::string doc;
};

// runs.csv: one row per run. The linear weight columns (w, or w0..w{k-1}, then b) sit where
// `weights_marker` stands; their count is fixed per grid (the widest linear task).
const std::vector<Column>& run_columns();
inline constexpr const char* kWeightsMarker = "{weights}";
std::vector<std::string> runs_header(std::int64_t linear_features);

// curves.csv: one row per logged point of a run.
const std::vector<Column>& curve_columns();
// weights.csv: every final parameter of every run.
const std::vector<Column>& weight_columns();

std::vector<std::string> header_of(const std::vector<Column>& columns);

// A row as field name -> text; `order` puts it in header order. A name outside the header is a bug.
using Row = std::map<std::string, std::string>;
std::vector<std::string> order(const Row& row, const std::vector<std::string>& header);

}  // namespace bsweep
