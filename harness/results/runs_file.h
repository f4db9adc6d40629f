// A runs.csv read back for the commands that read results (table, compare, plot, report, claims): read a row at
// a time, each row checked as it comes and kept by column in little memory (results/stored_column.h), with typed
// access whose errors name the file, line and column.
#pragma once

#include "results/csv.h"
#include "results/stored_column.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bsweep {

class RunsFile {
 public:
  std::string source;       // as given: a results folder or a runs.csv
  std::string path;         // the runs.csv read
  nlohmann::json manifest;  // manifest.json beside it, or null

  std::size_t rows() const { return lines_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  std::optional<std::size_t> find(const std::string& name) const;
  // The column's index; a missing column is an InputError ("not a bsweep runs.csv").
  std::size_t column(const std::string& name) const;
  std::string text(std::size_t row, std::size_t column) const { return columns_[column].text(row); }
  bool empty(std::size_t row, std::size_t column) const { return columns_[column].empty(row); }
  // Equal codes, equal texts, within one column of a setting, the batch size used, the status or the device
  // (the columns set_header keeps coded); for grouping rows.
  std::uint32_t code(std::size_t row, std::size_t column) const { return columns_[column].code(row); }
  const std::string& text_of_code(std::size_t column, std::uint32_t code) const {
    return columns_[column].text_of_code(code);
  }
  // The field of such a column, without a copy.
  const std::string& coded_text(std::size_t row, std::size_t column) const {
    return text_of_code(column, code(row, column));
  }
  // The field as a number: nullopt when empty; a column of text is an InputError naming file:line and column.
  std::optional<double> number(std::size_t row, std::size_t column) const;
  // The same, where an empty field is an error too.
  double required_number(std::size_t row, std::size_t column) const;
  // "runs.csv:7: column 32 (wall_s)"
  std::string where(std::size_t row, std::size_t column) const;
  std::size_t line(std::size_t row) const { return lines_[row]; }

  // A row appended as read, with the numbers its check found (read_runs_file checks it first).
  void set_header(std::vector<std::string> header);
  void append(const std::vector<std::string_view>& fields, const std::vector<double>& numbers, std::size_t line);

 private:
  std::vector<std::string> header_;
  std::vector<StoredColumn> columns_;
  std::vector<bool> text_;  // by column: is_text_column
  std::vector<std::uint32_t> lines_;
};

// RESULTS is a results folder or a runs.csv. Errors (InputError): no such file; not CSV; a CSV that is not a
// runs.csv (e.g. curves.csv); a row that fails check_runs_table (a loose number, NaN in an ok run, a run id that
// is not its settings', a run recorded twice); a manifest that records a column in another unit than this bsweep
// reads it.
RunsFile read_runs_file(const std::string& results);

}  // namespace bsweep
