// `bsweep merge OUT DIR...`: joins results folders of one grid (the shards of `bsweep run --shard K/N`, or
// folders run on machines that share no filesystem) into one, which `bsweep run GRID -o OUT` then resumes.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace bsweep {

struct MergeOutcome {
  std::size_t total = 0;       // runs in the grid
  std::size_t recorded = 0;    // runs in OUT
  std::size_t missing = 0;     // runs of the grid no folder holds
  std::size_t duplicates = 0;  // runs more than one folder holds (one row kept, see merge_folders)
};

// Reads every folder (each must hold a manifest and this version's columns of one and the same grid, and no Slurm
// submission still to collect; InputError naming the folder otherwise) and writes OUT: each run's rows from one
// folder, the one whose runs.csv row is best (a result over a failure over an interruption; the first folder
// named on a tie). OUT must hold no results unless it is one of the folders. Tells `log` what is missing or doubled.
MergeOutcome merge_folders(const std::string& out, const std::vector<std::string>& folders, std::ostream& log);

}  // namespace bsweep
