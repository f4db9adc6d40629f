#include "sweep/maxbatch.h"

#include "util/errors.h"
#include "util/interrupts.h"
#include "results/csv.h"
#include "results/folder_lock.h"
#include "results/writer.h"
#include "sweep/runner.h"
#include "spec/run_limits.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace bsweep {
namespace fs = std::filesystem;
namespace {

// An attempt's status says whether its batch fits: ok or diverged (it trained); oom does not, nor a crash for
// memory (the kernel's SIGKILL, an allocation that failed). Any other outcome stops the search with an error
// (Searcher::attempt): a crash for another reason says nothing about the batch.
bool fits(RunStatus status) { return status == RunStatus::ok || status == RunStatus::diverged; }
bool memory_crash(const std::string& error) {
  for (const char* sign : {"SIGKILL", "memory", "bad_alloc"})
    if (error.find(sign) != std::string::npos) return true;
  return false;
}

class Searcher {
 public:
  Searcher(const SweepSpec& spec, const TaskSpec& task, std::string dtype, std::string device,
           const MaxBatchOptions& options, std::ostream& log)
      : spec_(spec), task_(task), dtype_(std::move(dtype)), device_(std::move(device)), options_(options), log_(log) {}

  // One real training of batch `batch` for `steps` steps (0: one whole epoch) in a process of its own; its status.
  RunStatus attempt(std::int64_t batch, std::int64_t steps) {
    ++attempts_;
    nlohmann::json task_json = task_.params;
    task_json["type"] = task_.type;
    task_json["name"] = task_.name;
    nlohmann::json grid = {{"name", "maxbatch"},
                           {"tasks", {task_json}},
                           {"batch_sizes", {batch}},
                           {"lr", spec_.lrs.front()},
                           {"optimizer", spec_.optimizers.front().config()},
                           {"seeds", {spec_.seeds.front()}},
                           {"dtype", dtype_},
                           {"device", device_},
                           {"generator", spec_.generators.front()}};
    if (steps > 0) grid["steps"] = steps; else grid["epochs"] = 1;
    const auto dir = fs::path(options_.out_dir) / "attempts" /
                     fmt::format("{}_{}_{}_b{}_{}", task_.name, dtype_, device_, batch, steps > 0 ? fmt::format("s{}", steps) : "epoch");
    fs::remove_all(dir);  // an attempt of an earlier search: this budget may differ
    fs::create_directories(dir);
    write_atomically((dir / "grid.json").string(), grid.dump(2) + "\n");
    RunnerOptions run;
    run.grid_file = (dir / "grid.json").string();
    run.out_dir = dir.string();
    run.workers = 1;
    run.threads = options_.threads;
    run.max_memory = options_.max_memory;
    run.max_tensor_bytes = options_.max_tensor_bytes;
    run.batching = false;
    run.force = true;
    run.quiet = true;
    std::ostringstream quiet;
    run_sweep(parse_sweep(grid, "maxbatch"), run, quiet);
    if (interrupts() > 0)  // during the attempt or before it: the search's guard counts both
      throw Interrupted(fmt::format("maxbatch interrupted at batch {} of task {}; no maxbatch.csv written", batch, task_.name));
    const auto runs_path = (dir / "runs.csv").string();
    if (!fs::exists(runs_path))
      throw ToolError(fmt::format("maxbatch: batch {} of task {} left no {}: the attempt did not record its run", batch,
                                  task_.name, runs_path));
    const auto table = read_csv(runs_path);
    const auto status_col = find_column(table, "status");
    const auto error_col = find_column(table, "error");
    if (table.rows.size() != 1 || !status_col || !error_col)
      throw ToolError(fmt::format("maxbatch: {} holds {} rows, not the one run of the attempt", runs_path, table.rows.size()));
    const auto word = table.rows.front()[*status_col];
    const auto status = parse_run_status(word);
    if (!status)
      throw ToolError(fmt::format("maxbatch: {}: status \"{}\" is not one bsweep records", runs_path, word));
    const std::string error = table.rows.front()[*error_col];
    if (!fits(*status)) last_error_ = error;
    if (!fits(*status) && status != RunStatus::oom && !(status == RunStatus::crashed && memory_crash(error)))
      throw ToolError(fmt::format("maxbatch: batch {} of task {} ended {} (not a matter of memory): {}; see {}", batch,
                                  task_.name, word, error.empty() ? "no message" : error, runs_path));
    if (!options_.quiet)
      log_ << fmt::format("  {} {} {}: batch {} for {}: {}\n", task_.name, dtype_, device_, batch,
                          steps > 0 ? fmt::format("{} steps", steps) : "an epoch", word);
    return *status;
  }

  // The largest batch in [low, high] whose attempt fits, given that `low` fits and `high + 1` does not (or is n).
  std::int64_t bisect(std::int64_t low, std::int64_t high, std::int64_t steps, std::string& failure) {
    while (low < high) {
      const std::int64_t middle = low + (high - low + 1) / 2;
      const auto status = attempt(middle, steps);
      if (fits(status)) low = middle; else high = middle - 1, failure = to_string(status);
    }
    return low;
  }

  MaxBatchResult run() {
    MaxBatchResult result;
    result.task = task_.name, result.dtype = dtype_, result.device = device_, result.n_train = task_.train_size();
    const std::int64_t n = result.n_train;
    const std::int64_t steps = options_.steps;
    // Doubling: 1, 2, 4, ... up to n.
    std::int64_t fitting = 0, fails = 0;
    for (std::int64_t b = 1;; b = std::min(n, b * 2)) {
      const auto status = attempt(b, steps);
      if (fits(status)) {
        fitting = b;
        if (b == n) break;
      } else {
        fails = b;
        result.failure = to_string(status);
        break;
      }
    }
    result.largest = fails == 0 ? fitting : fitting == 0 ? 0 : bisect(fitting, fails - 1, steps, result.failure);
    result.whole_set = fails == 0;
    // Verification: a whole epoch, evaluation included, under the same budget; step down where it fails.
    std::int64_t candidate = result.largest;
    if (candidate > 0) {
      const auto status = attempt(candidate, 0);
      if (!fits(status)) {
        result.failure = to_string(status);
        result.whole_set = false;
        candidate = bisect(0, candidate - 1, 0, result.failure);  // 0: nothing is known to fit an epoch
      }
    }
    result.verified = candidate;
    result.recommended =
        candidate > 0 ? std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(static_cast<double>(candidate) * (1 - options_.margin))))
                      : 0;
    result.attempts = attempts_;
    if (result.verified == 0) result.error = last_error_;
    return result;
  }

 private:
  const SweepSpec& spec_;
  const TaskSpec& task_;
  std::string dtype_, device_;
  const MaxBatchOptions& options_;
  std::ostream& log_;
  std::size_t attempts_ = 0;
  std::string last_error_;
};

}  // namespace

std::vector<MaxBatchResult> find_max_batches(const SweepSpec& spec, const MaxBatchOptions& options, std::ostream& log) {
  for (const auto& device : spec.devices)
    if (device == "cpu" && options.max_memory <= 0 && options.max_tensor_bytes <= 0)
      throw InputError("--max-memory or --max-tensor-memory: required for device \"cpu\" (the budget to fit, e.g. "
                       "--max-tensor-memory 64M)");
  if (!(options.margin >= 0 && options.margin < 1))
    throw InputError(fmt::format("--margin: expected a fraction from 0 up to (not including) 1, got {}", options.margin));
  const fs::path out(options.out_dir);
  if (fs::exists(out) && !fs::is_directory(out))
    throw InputError(fmt::format("{}: exists and is not a folder (-o names the folder for the attempts)", options.out_dir));
  // One search a folder: a second one into it would delete this one's attempts under it.
  const FolderLock lock(options.out_dir);
  // An earlier search's attempts (another budget, say) would read as this one's, and its maxbatch.csv, left by a
  // search stopped since, as this one's result.
  std::error_code ignored;
  fs::remove_all(out / "attempts", ignored);
  fs::remove(out / "maxbatch.csv", ignored);
  const InterruptGuard guard;
  std::vector<MaxBatchResult> results;
  for (const auto& task : spec.tasks)
    for (const auto& dtype : spec.dtypes)
      for (const auto& device : spec.devices) results.push_back(Searcher(spec, task, dtype, device, options, log).run());
  write_atomically((fs::path(options.out_dir) / "maxbatch.csv").string(), max_batches_csv(results, options));
  return results;
}

std::string format_max_batches(const std::vector<MaxBatchResult>& results, const MaxBatchOptions& options) {
  std::string budget = "the device's memory";
  if (options.max_memory > 0) budget = fmt::format("{} bytes per worker process", options.max_memory);
  if (options.max_tensor_bytes > 0)
    budget = fmt::format("{} bytes of live tensors per worker{}", options.max_tensor_bytes,
                         options.max_memory > 0 ? fmt::format(" and {} per process", options.max_memory) : "");
  std::string out = fmt::format("Budget: {}. Each attempt trains {} steps (evaluation included) in a process of its "
                                "own; the size found then trains a whole epoch; recommended = verified x {:g}.\n\n",
                                budget, options.steps, 1 - options.margin);
  out += "| task | dtype | device | n_train | largest that fits | verified (1 epoch) | recommended | attempts |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : results)
    out += fmt::format("| {} | {} | {} | {} | {}{} | {} | {} | {} |\n", r.task, r.dtype, r.device, r.n_train,
                       r.largest, r.whole_set ? " (the whole set)" : r.failure.empty() ? "" : fmt::format(" ({} above)", r.failure),
                       r.verified, r.recommended, r.attempts);
  for (const auto& r : results)
    if (r.verified == 0) out += fmt::format("\n{} {} {}: even batch 1 does not fit: {}\n", r.task, r.dtype, r.device, r.error);
  return out;
}

std::string max_batches_csv(const std::vector<MaxBatchResult>& results, const MaxBatchOptions& options) {
  std::string out = csv_line({"task", "dtype", "device", "n_train", "largest", "verified", "recommended", "whole_set",
                              "attempts", "failure", "max_memory", "max_tensor_bytes", "steps", "margin"});
  // The budget and the search's settings on every row: a file read later, apart from this run, says what it found
  // under what (0: no cap of that kind).
  for (const auto& r : results)
    out += csv_line({r.task, r.dtype, r.device, std::to_string(r.n_train), std::to_string(r.largest),
                     std::to_string(r.verified), std::to_string(r.recommended), r.whole_set ? "true" : "false",
                     std::to_string(r.attempts), r.failure, std::to_string(options.max_memory),
                     std::to_string(options.max_tensor_bytes), std::to_string(options.steps),
                     fmt::format("{}", options.margin)});
  return out;
}

}  // namespace bsweep
