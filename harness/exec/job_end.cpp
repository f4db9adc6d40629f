#include "exec/job_end.h"

#include <fmt/format.h>

#include <sys/wait.h>

#include <cstring>

namespace bsweep {

std::string last_line_of(const std::string& text) {
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ')) --end;
  const auto start = text.rfind('\n', end == 0 ? 0 : end - 1);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1));
}

TrainResult failed_run(const JobEnd& end, bool interrupted) {
  TrainResult result;
  const int wait_status = end.wait_status;
  if (end.timed_out) {
    result.status = RunStatus::timeout;
    result.error = "the run took longer than its time limit and was stopped";
  } else if (interrupted) {
    result.status = RunStatus::interrupted;
    result.error = "the sweep was interrupted";
  } else if (end.status) {
    result.status = *end.status;
    result.error = end.lost;
  } else if (!end.lost.empty()) {
    result.status = RunStatus::crashed;
    result.error = end.lost;
  } else if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    result.status = RunStatus::crashed;
    result.error = fmt::format("killed by signal {} ({}: {})", signal, sigabbrev_np(signal) ? sigabbrev_np(signal) : "?",
                               strsignal(signal));
  } else {
    result.status = RunStatus::crashed;
    result.error = fmt::format("the worker exited with status {} without a result", WEXITSTATUS(wait_status));
  }
  const auto said = last_line_of(end.output);
  if (!said.empty() && result.status == RunStatus::crashed) result.error += ": " + said;
  result.wall_s = end.seconds;
  return result;
}

}  // namespace bsweep
