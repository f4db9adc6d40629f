#include "worker.h"

#include "job_file.h"
#include "json_path.h"
#include "run_limits.h"
#include "results/result_json.h"
#include "results/writer.h"
#include "train.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <iostream>

namespace bsweep {

namespace {

// Starts LibTorch's intra-op thread pools now: under a tight memory cap a pool that cannot create its threads
// waits for them forever.
void start_thread_pools(int threads) {
  at::set_num_threads(threads);
  at::parallel_for(0, threads, 1, [](std::int64_t, std::int64_t) {});
}

}  // namespace

int run_worker(const WorkerOptions& options) {
  const JobFile job = read_job(options.job_file);
  // Threads first: LibTorch's pools must start before a memory cap could starve them (they would wait forever).
  start_thread_pools(options.threads);
  std::string cap_too_small;
  if (options.max_memory > 0) cap_too_small = memory_cap_problem(options.max_memory);

  RunStream shared;  // the stream a shared-stream job continues from run to run
  for (const auto& [run, sent_id, keep_data] : job.runs) {
    const TrainOptions train_options{keep_data};
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
          result = train_run(run, shared, train_options);
        } catch (const std::exception& error) {
          result = failed_result(error);
        }
      } else {
        result = train_run(run, train_options);
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

int run_worker_reporting(const WorkerOptions& options) {
  try {
    return run_worker(options);
  } catch (const InputError& error) {
    std::cerr << fmt::format("bsweep-worker: error: {}", error.what()) << std::endl;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << fmt::format("bsweep-worker: internal error: {}", error.what()) << std::endl;
    return 1;
  }
}

}  // namespace bsweep
