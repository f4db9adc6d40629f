// Expansion of a SweepSpec into runs, in a documented deterministic order, each with a stable id.
#pragma once

#include "spec/spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bsweep {

// Cartesian product, outermost axis first:
//   task, optimizer, lr, budget (epochs/steps), batch_size, dtype, device, shuffle, drop_last, generator, seed.
// The seed varies fastest, so the seeds of one configuration are neighbours. With a shared stream, each run
// records the id of the run before it in its stream (same task, generator and seed), and its id covers it.
std::vector<RunSpec> expand(const SweepSpec& spec);

// 12 hex digits of the 64-bit FNV-1a hash of run.config().dump(): equal configurations, equal ids,
// whatever grid they came from.
std::string run_id(const RunSpec& run);

// run_id of the runs of one configuration that differ in seed and stream alone, without dumping the whole
// configuration for each: its dump is hashed once up to the seed, and the text between and after the per-run
// keys is kept. run_id itself is computed this way, so the two cannot disagree.
class RunIdHasher {
 public:
  explicit RunIdHasher(const RunSpec& run);
  std::string id(std::uint64_t seed, bool shared_stream, const std::string& stream_previous) const;

 private:
  std::uint64_t up_to_seed_;            // FNV-1a state after `{...,"seed":`
  std::string seed_to_stream_, after_;  // `,"shuffle":...,"stream":` and `,"task":...}`
};

// With a shared stream: the runs that continue one stream, in order. A run's stream is its task, generator and seed.
std::string stream_key(const RunSpec& run);

// One line per run whose batch size exceeds its task's training set (it trains as full batch).
std::vector<std::string> batch_size_warnings(const std::vector<RunSpec>& runs);

}  // namespace bsweep
