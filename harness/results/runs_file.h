// A runs.csv read back for the commands that read results (table, compare, plot): the CSV, where each row
// came from, and typed access whose errors name the file, line and column.
#pragma once

#include "results/csv.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace bsweep {

struct RunsFile {
  std::string source;     // as given: a results folder or a runs.csv
  std::string path;       // the runs.csv read
  nlohmann::json manifest;  // manifest.json beside it, or null
  CsvTable csv;

  std::optional<std::size_t> find(const std::string& name) const;
  // The column's index; a missing column is an InputError ("not a bsweep runs.csv").
  std::size_t column(const std::string& name) const;
  const std::string& text(std::size_t row, std::size_t column) const { return csv.rows[row][column]; }
  // The field as a number: nullopt when empty; anything else that is not a whole number is an InputError
  // naming file:line and the column.
  std::optional<double> number(std::size_t row, std::size_t column) const;
  // The same, where an empty field is an error too.
  double required_number(std::size_t row, std::size_t column) const;
  // "runs.csv:7: column 32 (wall_s)"
  std::string where(std::size_t row, std::size_t column) const;
};

// RESULTS is a results folder or a runs.csv. Errors (InputError): no such file; not CSV; a CSV that is not a
// runs.csv (e.g. curves.csv); a row that fails check_runs_table (a loose number, NaN in an ok run, a run id that
// is not its settings', a run recorded twice); a manifest that records a column in another unit than this bsweep
// reads it.
RunsFile read_runs_file(const std::string& results);

}  // namespace bsweep
