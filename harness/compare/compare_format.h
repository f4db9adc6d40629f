// The four shapes of a comparison: an aligned table for the terminal (colour optional), markdown, CSV (one
// row per configuration and metric; shortest round-trip numbers) and JSON (everything, for pipelines).
#pragma once

#include "compare/compare.h"
#include "compare/gate.h"

#include <string>
#include <vector>

namespace bsweep {

struct CompareOutcome {
  const Comparison& comparison;
  const std::vector<Gate>& gates;
  const std::vector<GateTrip>& trips;
  bool strict = false;  // unmatched configurations and failed runs in NEW fail the comparison too
  // false: where gates are given, a configuration whose share of diverged runs rose in NEW fails the comparison
  // (its gates would otherwise judge only the runs that survived, or nothing at all when none did)
  bool allow_diverged = false;
  bool failed() const;
  std::vector<std::string> strict_failures() const;
  std::vector<std::string> divergence_failures() const;
};

std::string format_compare_text(const CompareOutcome& outcome, bool colour);
std::string format_compare_markdown(const CompareOutcome& outcome);
std::string format_compare_csv(const CompareOutcome& outcome);
std::string format_compare_json(const CompareOutcome& outcome);

// A mean ± std in a readable scale of its unit: "12.35 ± 0.41 ms", "1.5 MiB", "0.4821".
std::string format_summary(const Summary& summary, const std::string& unit);
// A relative change in percent: "+5.31%", "-0.0042%", "0%"; "±inf" cases as "from 0".
std::string format_change(double relative);

}  // namespace bsweep
