#include "exec/slurm_task.h"

#include "util/errors.h"
#include "exec/job_end.h"
#include "exec/local_executor.h"
#include "exec/slurm_plan.h"
#include "util/interrupts.h"
#include "exec/job_file.h"
#include "results/result_json.h"
#include "results/writer.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>

namespace bsweep {
namespace fs = std::filesystem;

int run_slurm_task(const std::string& submission_dir, const std::string& array_file, std::size_t task, std::ostream& log) {
  const auto array = read_array_file((fs::path(submission_dir) / array_file).string());
  if (task >= array.tasks.size())
    throw InputError(fmt::format("{}: has {} tasks, not a task {}", array_file, array.tasks.size(), task));
  const auto& jobs = array.tasks[task];
  const auto& w = array.workers;
  LocalExecutor executor(LocalOptions{static_cast<std::size_t>(w.workers), w.threads, w.max_memory, w.max_tensor_bytes});
  const auto began = std::chrono::steady_clock::now();
  const InterruptGuard guard;  // Slurm's SIGTERM (scancel, the time limit) stops the workers, not this at once
  log << fmt::format("bsweep slurm-task: task {} of {}: {} jobs, {} at once\n", task, array_file, jobs.size(), w.workers)
      << std::flush;
  std::size_t next = 0;
  bool forwarded = false;
  while (true) {
    if (interrupts() > 0 && !forwarded) {
      executor.interrupt_all();
      forwarded = true;
    }
    while (interrupts() == 0 && executor.running() < executor.capacity() && next < jobs.size()) {
      executor.start(next, (fs::path(submission_dir) / jobs[next].file).string(), jobs[next].time_limit_s, 0);
      ++next;
    }
    if (executor.running() == 0) break;
    for (const auto& end : executor.poll(std::chrono::milliseconds(100))) {
      if (interrupts() > 0) continue;  // the submitter reads the task's state
      const auto job = read_job((fs::path(submission_dir) / jobs[end.id].file).string());
      if (job.cohort) continue;  // the submitter trains a failed cohort's runs again, alone
      std::string broken;  // a shared stream's runs after the first without a result cannot have run
      for (const auto& run : job.runs) {
        const auto file = result_path(job.result_dir, run.sent_id);
        if (fs::exists(file)) continue;
        TrainResult result;
        if (broken.empty()) {
          result = failed_run(end, false);
          broken = fmt::format("{} ({})", run.sent_id, result.status);
        } else {
          result.status = RunStatus::error;
          result.error = fmt::format("not run: run {} before it in its shared stream did not finish", broken);
        }
        write_atomically(file, result_to_json(result, job.sweep, run.sent_id)
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  log << fmt::format("bsweep slurm-task: task {} {} after {:.2f} s\n", task,
                     interrupts() > 0 ? "stopped by a signal" : "done", took.count());
  return interrupts() > 0 ? 130 : 0;
}

}  // namespace bsweep
