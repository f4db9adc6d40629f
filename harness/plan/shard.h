// Shards: a grid cut into N slices of about equal expected cost, for machines that share no filesystem. Each
// machine runs `bsweep run GRID --shard K/N` into a folder of its own; `bsweep merge` joins the folders.
#pragma once

#include "spec.h"

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

// The ids of the runs of shard K/N: the grid's jobs as planned with default options from an empty folder (so the
// slices do not depend on flags or on what a folder holds; a shared stream stays in one slice), balanced by
// expected cost over N slices. The same grid always gives the same slices.
std::set<std::string> shard_runs(const std::vector<RunSpec>& runs, const Shard& shard);

}  // namespace bsweep
