#include "results/status.h"

namespace bsweep {

const std::array<RunStatusInfo, 7>& run_statuses() {
  static const std::array<RunStatusInfo, 7> statuses = {{
      {RunStatus::ok, "ok", "trained to the end of its budget", false},
      {RunStatus::diverged, "diverged",
       "a loss became NaN or infinite, or exceeded 10⁶ times its start; the run stopped there and keeps its curve so "
       "far (NaN written as `nan`). A result, not a failure: a learning rate too large for small batches is what a "
       "batch-size sweep is for",
       false},
      {RunStatus::oom, "oom",
       "memory ran out: the `--max-memory` cap on the CPU, or the CUDA allocator's out-of-memory error", true},
      {RunStatus::timeout, "timeout", "the run took longer than `--timeout` seconds and was killed", true},
      {RunStatus::crashed, "crashed",
       "the worker died without a result: a signal (named, e.g. `killed by signal 6 (ABRT: Aborted)`) or an exit",
       true},
      {RunStatus::error, "error",
       "a clean error, e.g. `cuda` asked for where there is none; or a shared stream's run after one that failed",
       true},
      {RunStatus::interrupted, "interrupted", "the sweep was interrupted while it ran", false},
  }};
  return statuses;
}

const RunStatusInfo& info(RunStatus status) { return run_statuses()[static_cast<std::size_t>(status)]; }

std::optional<RunStatus> parse_run_status(std::string_view name) {
  for (const auto& known : run_statuses())
    if (name == known.name) return known.status;
  return std::nullopt;
}

std::string run_status_names() {
  std::string out;
  for (std::size_t i = 0; i < run_statuses().size(); ++i) {
    if (i) out += i + 1 == run_statuses().size() ? " or " : ", ";
    out += run_statuses()[i].name;
  }
  return out;
}

}  // namespace bsweep
