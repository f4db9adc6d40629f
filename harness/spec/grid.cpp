#include "spec/grid.h"


#include <fmt/format.h>

#include <map>
#include <set>

namespace bsweep {

namespace {

constexpr std::uint64_t kFnvBasis = 14695981039346656037ull;  // FNV-1a offset basis

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;  // FNV prime
  }
  return hash;
}

}  // namespace

RunIdHasher::RunIdHasher(const RunSpec& run) {
  // The compact dump of an object is "{", then `"key":value` joined by commas, then "}", keys in order (they
  // need no escaping); "seed" comes before "stream" in that order.
  std::string text = "{";
  std::string* part = &text;
  bool first = true;
  const nlohmann::json config = run.config();
  for (const auto& [key, value] : config.items()) {
    if (!first) *part += ',';
    first = false;
    *part += "\"" + key + "\":";
    if (key == "seed") {
      up_to_seed_ = fnv1a(kFnvBasis, text);
      part = &seed_to_stream_;
    } else if (key == "stream") {
      part = &after_;
    } else {
      *part += value.dump();
    }
  }
  after_ += '}';
}

std::string RunIdHasher::id(std::uint64_t seed, bool shared_stream, const std::string& stream_previous) const {
  const fmt::format_int digits(seed);
  std::uint64_t hash = fnv1a(up_to_seed_, std::string_view(digits.data(), digits.size()));
  hash = fnv1a(hash, seed_to_stream_);
  hash = fnv1a(hash, shared_stream ? nlohmann::json{{"shared_after", stream_previous}}.dump(
                                         -1, ' ', false, nlohmann::json::error_handler_t::replace)
                                   : std::string("\"per_run\""));
  hash = fnv1a(hash, after_);
  // The first 12 of its 16 hex digits (by hand: a reader of a million rows asks for a million ids).
  std::string id(12, '0');
  for (int k = 11; k >= 0; --k, hash >>= 4) id[static_cast<std::size_t>(k)] = "0123456789abcdef"[(hash >> 16) & 0xf];
  return id;
}

std::string run_id(const RunSpec& run) {
  return RunIdHasher(run).id(run.seed, run.shared_stream, run.stream_previous);
}

std::string stream_key(const RunSpec& run) {
  return fmt::format("{}/{}/{}", run.task.name, run.generator, run.seed);
}

std::vector<RunSpec> expand(const SweepSpec& spec) {
  std::vector<RunSpec> runs;
  for (const auto& task : spec.tasks)
    for (const auto& optimizer : spec.optimizers)
      for (double lr : spec.lrs)
        for (const auto& lr_scaling : spec.lr_scalings)
        for (const auto& budget : spec.budgets)
          for (const auto& batch_size : spec.batch_sizes)
            for (const auto& dtype : spec.dtypes)
              for (const auto& device : spec.devices)
                for (bool shuffle : spec.shuffles)
                  for (bool drop_last : spec.drop_lasts)
                    for (const auto& generator : spec.generators)
                    for (auto seed : spec.seeds) {
                      RunSpec run;
                      run.task = task;
                      run.optimizer = optimizer;
                      run.lr = lr;
                      run.lr_scaling = lr_scaling;
                      run.warmup_epochs = spec.warmup_epochs;
                      run.until = spec.until;
                      run.probes = spec.probes;
                      run.budget = budget;
                      run.batch_size = batch_size;
                      run.dtype = dtype;
                      run.device = device;
                      run.shuffle = shuffle;
                      run.drop_last = drop_last;
                      run.seed = seed;
                      run.log_every = spec.log_every;
                      run.generator = generator;
                      run.shared_stream = spec.shared_stream;
                      run.index = runs.size();
                      runs.push_back(std::move(run));
                    }
  std::map<std::string, std::string> last_in_stream;
  for (auto& run : runs) {
    if (run.shared_stream) run.stream_previous = last_in_stream[stream_key(run)];
    run.id = run_id(run);
    if (run.shared_stream) last_in_stream[stream_key(run)] = run.id;
  }
  return runs;
}

std::vector<std::string> batch_size_warnings(const std::vector<RunSpec>& runs) {
  std::set<std::pair<std::string, std::int64_t>> seen;
  std::vector<std::string> warnings;
  for (const auto& run : runs) {
    if (run.batch_size.is_full()) continue;
    const auto n = run.task.train_size();
    if (*run.batch_size.size <= n || !seen.insert({run.task.name, *run.batch_size.size}).second) continue;
    warnings.push_back(fmt::format(
        "warning: batch size {} exceeds the {} training samples of task \"{}\": it trains as full batch ({})",
        *run.batch_size.size, n, run.task.name, n));
  }
  return warnings;
}

}  // namespace bsweep
