// The strict check of a runs.csv read from disk. A results folder is input (another machine's shard, a colleague's
// tarball, a hand edit), so before any command uses its rows: every number is a number as bsweep writes it, and a
// finished (ok) run's are finite; every status is one bsweep records; every row's run id is recomputed from the
// row's own settings (validated as a grid's: names, dtypes, devices) and must equal the one it carries; and no run
// id has two rows. A failure is an InputError naming the file, line and column.
#pragma once

#include "results/csv.h"

#include <map>
#include <string>

namespace bsweep {

enum class Duplicates {
  refuse,  // a second row of a run is an error naming both lines (every reader but merge)
  allow,   // the caller resolves them (merge keeps one row a run, by its documented rule, and says so)
};

// Checks `table`, read from `path`; returns the row of each run id (the first, where duplicates are allowed).
std::map<std::string, std::size_t> check_runs_table(const CsvTable& table, const std::string& path,
                                                    Duplicates duplicates = Duplicates::refuse);

// The run id that the settings in row `row` of a runs.csv stand for (what `bsweep run` would give that run).
std::string run_id_of_row(const CsvTable& table, const std::string& path, std::size_t row);

}  // namespace bsweep
