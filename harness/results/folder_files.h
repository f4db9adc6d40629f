// The files of a results folder, as the runner and `bsweep merge` both handle them.
#pragma once

#include "spec/spec.h"

#include <cstdint>
#include <string>

namespace bsweep {

// Every file a sweep writes into its folder.
inline constexpr const char* kResultFiles[] = {"runs.csv",   "curves.csv", "weights.csv",
                                               "data.csv",   "probes.csv", "manifest.json"};
// The files with a row per run (or several), keyed by run_id in their first column.
inline constexpr const char* kRunRowFiles[] = {"runs.csv", "curves.csv", "weights.csv", "data.csv", "probes.csv"};

// The most linear features of the grid's tasks: runs.csv and curves.csv have a weight column for each.
std::int64_t widest_linear_task(const SweepSpec& spec);

// Every results file present in `dir` must have this version's columns for this grid (InputError naming the file
// and the columns it lacks); checked before any is read.
void check_headers(const std::string& dir, std::int64_t widest);

}  // namespace bsweep
