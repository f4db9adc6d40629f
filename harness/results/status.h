// A run's status, as runs.csv records it (docs/reliability.md lists what each means).
#pragma once

#include <string>

namespace bsweep {

// A run that ended without a result of its own: oom, timeout, crashed or error. `--retry-failed` reruns these and
// any of them makes `bsweep run` exit 1. ("diverged" is a result; "interrupted" runs are always rerun.)
inline bool is_failure(const std::string& status) {
  return status == "oom" || status == "timeout" || status == "crashed" || status == "error";
}

}  // namespace bsweep
