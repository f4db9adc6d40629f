#include "worker.h"

#include "grid.h"
#include "json_path.h"
#include "run_limits.h"
#include "results/result_json.h"
#include "results/writer.h"
#include "train.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace bsweep {

std::string pending_dir(const std::string& out_dir) { return out_dir + "/.pending"; }
std::string pending_result_path(const std::string& out_dir, const std::string& run_id) {
  return fmt::format("{}/{}.json", pending_dir(out_dir), run_id);
}

int run_worker(const WorkerOptions& options) {
  if (options.max_memory > 0) apply_memory_limit(options.max_memory);
  torch::set_num_threads(options.threads);
  const auto manifest = parse_json_file(options.out_dir + "/manifest.json");
  const auto runs = expand(parse_sweep(manifest.at("grid"), manifest.value("name", "grid")));
  RunStream shared;  // the stream a shared-stream job continues from run to run
  for (std::size_t index : options.runs) {
    const RunSpec& run = runs.at(index);
    TrainResult result;
    if (run.shared_stream) {
      try {
        if (!shared.rng) shared = open_stream(run);
        result = train_run(run, shared);
      } catch (const std::exception& error) {
        result = failed_result(error);
      }
    } else {
      result = train_run(run);
    }
    write_atomically(pending_result_path(options.out_dir, run.id), result_to_json(result).dump());
  }
  return 0;
}

}  // namespace bsweep
