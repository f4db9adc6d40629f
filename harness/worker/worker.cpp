#include "worker/worker.h"

#include "exec/job_file.h"
#include "util/json_path.h"
#include "spec/run_limits.h"
#include "results/result_json.h"
#include "results/writer.h"
#include "plan/planner.h"
#include "probes/memory.h"
#include "train/train.h"
#include "train/train_cohort.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>
#include <fmt/format.h>

#include <algorithm>
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

void warm_up_kernels() {
  at::set_num_threads(1);
  for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
    const auto options = torch::TensorOptions().dtype(dtype);
    const auto x = torch::ones({4, 2}, options), w = torch::ones({3, 2}, options).requires_grad_(true);
    const auto b = torch::zeros({3}, options).requires_grad_(true);
    const auto out = torch::addmm(b, x, w.t());
    const auto loss = torch::mse_loss(torch::tanh(out), torch::zeros_like(out)) +
                      torch::nn::functional::cross_entropy(torch::relu(out), torch::zeros({4}, torch::kInt64));
    const auto grads = torch::autograd::grad({loss}, {w, b});
    torch::NoGradGuard no_grad;
    const auto stacked = torch::baddbmm(b.unsqueeze(0).unsqueeze(1), x.unsqueeze(0), w.t().unsqueeze(0));
    const auto backward = torch::bmm(stacked.transpose(1, 2), x.unsqueeze(0));
    w.detach().addcdiv_(grads[0], grads[0].abs().add(1), -0.1).addcmul_(backward.squeeze(0), grads[0]);
    torch::tanh_backward(stacked, stacked).sum().item<double>();
    torch::randperm(8, torch::kInt64).index_select(0, torch::zeros({1}, torch::kInt64));
  }
}

int run_worker(const WorkerOptions& options) {
  const JobFile job = read_job(options.job_file);
  // Threads first: LibTorch's pools must start before a memory cap could starve them (they would wait forever).
  start_thread_pools(options.threads);
  std::string cap_too_small;
  if (options.max_memory > 0) cap_too_small = memory_cap_problem(options.max_memory);
  if (options.max_tensor_bytes > 0) set_cpu_tensor_cap(options.max_tensor_bytes);

  // What the job asks must be what the parent sent: never train something other than what was asked for.
  std::vector<std::string> refused(job.runs.size());
  for (std::size_t i = 0; i < job.runs.size(); ++i) {
    const auto& [run, sent_id, keep_data] = job.runs[i];
    if (run.id != sent_id)
      refused[i] = fmt::format("the worker read run {} as {}: its configuration changed on the way", sent_id, run.id);
    else if (job.cohort && cohort_key(run) != cohort_key(job.runs.front().run))
      refused[i] = fmt::format("run {} differs from its cohort in more than seed, lr and momentum", sent_id);
  }
  auto refusal = [&](std::size_t i) {
    TrainResult result;
    if (!refused[i].empty()) {
      result.status = RunStatus::error;
      result.error = refused[i];
    } else {
      result.status = RunStatus::oom;
      result.error = cap_too_small;
    }
    return result;
  };
  auto hand_over = [&](std::size_t i, const TrainResult& result) {
    // Messages from LibTorch or the system need not be UTF-8: what is not becomes U+FFFD, never a lost result.
    const auto& sent_id = job.runs[i].sent_id;
    const auto text = result_to_json(result, job.sweep, sent_id)
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    write_atomically(result_path(job.result_dir, sent_id), text);
  };

  try {
    if (job.cohort) {
      std::vector<RunSpec> runs;
      std::vector<TrainOptions> options_of;
      std::vector<std::size_t> at;  // the job's index of each run that trains
      for (std::size_t i = 0; i < job.runs.size(); ++i) {
        if (!refused[i].empty() || !cap_too_small.empty()) continue;
        runs.push_back(job.runs[i].run);
        options_of.push_back({job.runs[i].keep_data});
        at.push_back(i);
      }
      std::vector<TrainResult> results;
      if (!runs.empty()) {
        MemoryCap cap(options.max_memory);  // lifted again before the results are written
        results = train_cohort(runs, options_of);
      }
      for (std::size_t k = 0; k < at.size(); ++k) hand_over(at[k], results[k]);
      for (std::size_t i = 0; i < job.runs.size(); ++i)
        if (std::find(at.begin(), at.end(), i) == at.end()) hand_over(i, refusal(i));
      return 0;
    }
    RunStream shared;  // the stream a shared-stream job continues from run to run
    for (std::size_t i = 0; i < job.runs.size(); ++i) {
      const auto& [run, sent_id, keep_data] = job.runs[i];
      const TrainOptions train_options{keep_data};
      TrainResult result;
      if (!refused[i].empty() || !cap_too_small.empty()) {
        result = refusal(i);
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
      hand_over(i, result);
    }
  } catch (const ResourceError& error) {
    std::cerr << "bsweep worker: " << error.what() << std::endl;
    return kWorkerResourceExit;
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
