// `bsweep compare BASE NEW`: runs of two results files matched by configuration (without the seed, and
// without any field the user ignores), each metric summarised over seeds on each side, the change of the
// mean, and a two-sided Mann-Whitney U test where both sides have at least two runs. Reads results only.
#pragma once

#include "results/runs_file.h"
#include "stats/mann_whitney.h"
#include "stats/summary.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bsweep {

struct CompareOptions {
  std::vector<std::string> ignore;   // config columns left out of the match, e.g. "device"
  std::vector<std::string> metrics;  // metrics to compare (see resolve_metric); empty: every metric on both sides
  double alpha = 0.05;               // significance level of the test
};

struct MetricComparison {
  std::string metric, unit;
  Summary base, next;  // over the runs that finished ok and have a value
  double delta = 0;    // next.mean - base.mean, in `unit`
  // delta / |base.mean|; +-infinity when base.mean is 0 and delta is not, 0 when both are 0
  double relative = 0;
  std::optional<MannWhitney> test;  // when both sides have at least 2 values
  bool significant = false;         // test->p < alpha
  bool too_few_seeds = false;       // with these counts no data could reach p < alpha (or no test at all)
};

using Config = std::vector<std::pair<std::string, std::string>>;  // key field -> value, in schema order

struct ConfigComparison {
  Config config;
  std::string label;  // the fields that tell this configuration from the others, e.g. "linear batch_size=10"
  std::size_t base_runs = 0, next_runs = 0;      // rows
  std::size_t base_failed = 0, next_failed = 0;  // rows whose status is not ok (left out of the statistics)
  std::size_t base_diverged = 0, next_diverged = 0;  // of those, the rows whose loss went to NaN or infinity
  std::vector<MetricComparison> metrics;
};

struct SideInfo {
  std::string source;
  std::size_t runs = 0, failed = 0;
};

struct Comparison {
  SideInfo base, next;
  double alpha = 0.05;
  std::vector<std::string> matched_on;  // config columns the runs were matched on
  std::vector<std::string> ignored;
  std::vector<std::string> metrics;     // metric columns compared (those of both files, or those asked for)
  std::vector<ConfigComparison> matched;          // in BASE's order
  std::vector<ConfigComparison> only_base, only_next;  // no metrics; runs counted on their side
};

Comparison compare_runs(const RunsFile& base, const RunsFile& next, const CompareOptions& options);

// A metric as the user may name it: the column name, or without its "final_" prefix ("test_loss").
bool metric_matches(const std::string& pattern, const std::string& metric);  // pattern may hold * and ?

// -1: lower is better (losses, times, memory); +1: higher is better (accuracy, samples/s); 0: neither (weights).
int better_direction(const std::string& metric);

}  // namespace bsweep
