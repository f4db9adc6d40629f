// A run's status: the one list of them, with the word runs.csv records and what each means (`bsweep schema`
// prints the table, docs/reliability.md shows it).
#pragma once

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace bsweep {

enum class RunStatus { ok, diverged, oom, timeout, crashed, error, interrupted };

struct RunStatusInfo {
  RunStatus status;
  const char* name;     // as runs.csv records it
  const char* meaning;  // for the docs
  // A run that ended without a result of its own: `--retry-failed` reruns it and any makes `bsweep run` exit 1.
  // ("diverged" is a result; "interrupted" runs are always rerun.)
  bool failure;
};

const std::array<RunStatusInfo, 7>& run_statuses();
const RunStatusInfo& info(RunStatus status);
inline const char* to_string(RunStatus status) { return info(status).name; }
// nullopt for a word that is not a status.
std::optional<RunStatus> parse_run_status(std::string_view name);
inline bool is_failure(RunStatus status) { return info(status).failure; }
// "ok, diverged, ... or interrupted": for errors that list them.
std::string run_status_names();

}  // namespace bsweep

// A status formats as its word.
template <>
struct fmt::formatter<bsweep::RunStatus> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(bsweep::RunStatus status, Context& context) const {
    return fmt::formatter<std::string_view>::format(bsweep::to_string(status), context);
  }
};
