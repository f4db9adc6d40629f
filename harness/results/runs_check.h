// The strict check of a runs.csv read from disk. A results folder is input (another machine's shard, a colleague's
// tarball, a hand edit), so before any command uses its rows: every number is a number as bsweep writes it, and a
// finished (ok) run's are finite; every status is one bsweep records; every row's run id is recomputed from the
// row's own settings (validated as a grid's: names, dtypes, devices) and must equal the one it carries; and no run
// id has two rows. A failure is an InputError naming the file, line and column.
#pragma once

#include "results/csv.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bsweep {

enum class Duplicates {
  refuse,  // a second row of a run is an error naming both lines (every reader but merge)
  allow,   // the caller resolves them (merge keeps one row a run, by its documented rule, and says so)
};

// True for the columns of a runs.csv that hold text; every other column holds numbers (or nothing).
bool is_text_column(const std::string& name);

// The check, a row at a time, for readers that stream a runs.csv (CsvRowReader): rows are checked as they come,
// in memory that grows with the configurations and run ids, not with the rows' text.
class RunsChecker {
 public:
  RunsChecker(const std::vector<std::string>& header, std::string path, Duplicates duplicates);
  RunsChecker(RunsChecker&&) noexcept;
  ~RunsChecker();
  // Throws an InputError naming `line` (the row's first line in the file) and the column; a run recorded twice
  // is told by check_no_duplicates.
  void check_row(const std::vector<std::string_view>& fields, std::size_t line);
  // check_row in two halves, for a reader that checks in two threads, each half in one thread and in row order:
  // what the row says (its status, numbers and run id), then whether it is whole and new (its digest, and no
  // row before it of its run id), only for a row that passed the first. They share no state.
  void check_row_settings(const std::vector<std::string_view>& fields, std::size_t line);
  void check_row_integrity(const std::vector<std::string_view>& fields, std::size_t line);
  // After the last row, where duplicates are refused: an InputError naming both lines of a run recorded twice.
  void check_no_duplicates();
  // The run id that row's settings stand for.
  std::string computed_id(const std::vector<std::string_view>& fields, std::size_t line);
  // The numbers of the row last checked, by column: NaN for an empty field and a column of text.
  const std::vector<double>& numbers() const { return numbers_; }

 private:
  class Cache;
  std::vector<std::string> header_;
  std::string path_;
  Duplicates duplicates_;
  std::size_t id_at_, status_at_;
  std::optional<std::size_t> digest_at_;
  std::vector<bool> numeric_;            // by column
  std::vector<std::string> last_valid_;  // by column: the text last found a valid number (rows repeat most fields)
  std::vector<double> last_value_;       // and that number
  std::vector<double> numbers_;
  std::unique_ptr<Cache> cache_;
  std::vector<std::pair<std::uint64_t, std::size_t>> runs_seen_;  // the run id's 48 bits, its row's line
};

// Checks `table`, read from `path`; returns the row of each run id (the first, where duplicates are allowed).
std::map<std::string, std::size_t> check_runs_table(const CsvTable& table, const std::string& path,
                                                    Duplicates duplicates = Duplicates::refuse);

// The run id that the settings in row `row` of a runs.csv stand for (what `bsweep run` would give that run).
std::string run_id_of_row(const CsvTable& table, const std::string& path, std::size_t row);

}  // namespace bsweep
