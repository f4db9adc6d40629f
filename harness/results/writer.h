// Appends each finished run to runs.csv, curves.csv, weights.csv and data.csv, one write and one fsync per
// file, the runs.csv row last: a run is in the results exactly when its runs.csv row is.
#pragma once

#include "results/schema.h"
#include "spec/spec.h"
#include "results/run_result.h"

#include <string>
#include <vector>

namespace bsweep {

class ResultsWriter {
 public:
  // Creates the files with their headers where absent; an existing file must have the same header.
  ResultsWriter(std::string directory, std::int64_t linear_features);
  void append(const RunSpec& run, const TrainResult& result);

  const std::vector<std::string>& runs_header() const { return runs_header_; }

 private:
  std::string directory_;
  std::int64_t linear_features_;
  std::vector<std::string> runs_header_;
  std::size_t digest_at_;  // where row_digest stands in runs_header_
  std::vector<std::string> curves_header_;
};

// The runs.csv row of a run, by column name, in a file whose widest linear task has `linear_features` weights.
Row make_run_row(const RunSpec& run, const TrainResult& result, std::int64_t linear_features);

// Appends `text` with a single write() and fsyncs; creates the file with `header_line` first if absent.
void append_durably(const std::string& path, const std::string& text);

// Cuts a partial last row (a write torn by a power loss) off a CSV file: what follows the last line break
// outside quotes goes.
void repair_torn_tail(const std::string& path);

// Writes `text` to `path` through a temporary file and rename(), so readers see the old or the new file.
void write_atomically(const std::string& path, const std::string& text);

}  // namespace bsweep
