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
  std::size_t duplicates = 0;  // runs recorded more than once (one row kept, see merge_folders)
};

// Reads every folder (each must hold a manifest and this version's columns of one and the same grid, and no Slurm
// submission still to collect; InputError naming the folder otherwise), checks every runs.csv as untrusted input
// (check_runs_table: an edited row is an InputError naming its file, line and column) and writes OUT: one runs.csv
// row a run, the best (a result over a failure over an interruption; on a tie the first met, folders in the order
// named, then line by line), and that row's folder's rows of the other files. OUT must hold no results unless it is
// one of the folders. Tells `log` what is missing, and every run recorded more than once, where, and which row stays.
MergeOutcome merge_folders(const std::string& out, const std::vector<std::string>& folders, std::ostream& log);

}  // namespace bsweep
