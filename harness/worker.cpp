#include "worker.h"

#include "json_path.h"
#include "run_limits.h"
#include "results/result_json.h"
#include "results/writer.h"
#include "train.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <iostream>

namespace bsweep {

namespace {

struct JobRun {
  RunSpec run;
  std::string sent_id;
};

struct Job {
  std::string sweep, result_dir;
  std::vector<JobRun> runs;
};

Job read_job(const std::string& file) {
  const auto json = parse_json_file(file);
  require_object(json, "");
  Job job;
  job.sweep = read_string(json.at("sweep"), "sweep");
  job.result_dir = read_string(json.at("result_dir"), "result_dir");
  const auto& runs = json.at("runs");
  if (!runs.is_array() || runs.empty()) fail_at("runs", "a non-empty list", runs);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto path = path_index("runs", i);
    const auto& item = runs[i];
    require_object(item, path);
    const auto index = static_cast<std::size_t>(read_non_negative_int(item.at("index"), path_key(path, "index")));
    job.runs.push_back({run_from_config(item.at("config"), index, path_key(path, "config")),
                        read_string(item.at("id"), path_key(path, "id"))});
  }
  return job;
}

// Starts LibTorch's intra-op thread pools now: under a tight memory cap a pool that cannot create its threads
// waits for them forever.
void start_thread_pools(int threads) {
  torch::set_num_threads(threads);
  at::parallel_for(0, threads, 1, [](std::int64_t, std::int64_t) {});
}

}  // namespace

std::string result_path(const std::string& result_dir, const std::string& run_id) {
  return fmt::format("{}/{}.json", result_dir, run_id);
}

nlohmann::json make_job(const std::string& sweep_id, const std::string& result_dir,
                        const std::vector<const RunSpec*>& runs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto* run : runs) list.push_back({{"index", run->index}, {"id", run->id}, {"config", run->config()}});
  return {{"sweep", sweep_id}, {"result_dir", result_dir}, {"runs", list}};
}

int run_worker(const WorkerOptions& options) {
  const Job job = read_job(options.job_file);
  // Threads first: LibTorch's pools must start before a memory cap could starve them (they would wait forever).
  start_thread_pools(options.threads);
  std::string cap_too_small;
  if (options.max_memory > 0) cap_too_small = memory_cap_problem(options.max_memory);

  RunStream shared;  // the stream a shared-stream job continues from run to run
  for (const auto& [run, sent_id] : job.runs) {
    TrainResult result;
    if (run.id != sent_id) {
      // The configuration did not survive the trip: never train something other than what was asked for.
      result.status = "error";
      result.error = fmt::format("the worker read run {} as {}: its configuration changed on the way", sent_id, run.id);
    } else if (!cap_too_small.empty()) {
      result.status = "oom";
      result.error = cap_too_small;
    } else {
      MemoryCap cap(options.max_memory);  // lifted again before the result is written
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
    }
    try {
      // Messages from LibTorch or the system need not be UTF-8: what is not becomes U+FFFD, never a lost result.
      const auto text = result_to_json(result, job.sweep, sent_id)
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      write_atomically(result_path(job.result_dir, sent_id), text);
    } catch (const ResourceError& error) {
      std::cerr << "bsweep worker: " << error.what() << std::endl;
      return kWorkerResourceExit;
    }
  }
  return 0;
}

}  // namespace bsweep
