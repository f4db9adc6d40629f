// Shards: a grid cut into N slices of about equal expected cost, for machines that share no filesystem. Each
// machine runs `bsweep run GRID --shard K/N` into a folder of its own; `bsweep merge` joins the folders.
#pragma once

#include "spec/spec.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace bsweep {

struct Shard {
  std::size_t index = 0;  // K, from 1
  std::size_t count = 0;  // N; 0: no shard, the whole grid
  std::string text() const;  // "K/N"
};

// "K/N" with 1 <= K <= N; InputError naming `option` otherwise.
Shard parse_shard(const std::string& text, const std::string& option = "--shard");

// The ids of the runs of shard K/N: the grid's jobs, planned from an empty folder with the grid's own limits
// (max_cohort, max_memory; never a flag's), balanced by expected cost over N slices. The slices depend on the grid
// alone, so every shard cuts the same ones. A job stays whole: a shared stream must, and a cohort then trains in
// its shard exactly as in a run of the whole grid (its numbers depend on its replicas), so the merged shards equal
// the whole grid's results bit for bit. `runs` are expand(spec). N above the number of jobs is an InputError.
std::set<std::string> shard_runs(const SweepSpec& spec, const std::vector<RunSpec>& runs, const Shard& shard);

}  // namespace bsweep
