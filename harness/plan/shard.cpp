#include "plan/shard.h"

#include "util/errors.h"
#include "plan/planner.h"

#include <fmt/format.h>

#include <regex>

namespace bsweep {

std::string Shard::text() const { return fmt::format("{}/{}", index, count); }

Shard parse_shard(const std::string& text, const std::string& option) {
  static const std::regex form(R"((\d{1,6})/(\d{1,6}))");
  std::smatch match;
  if (std::regex_match(text, match, form)) {
    const Shard shard{std::stoull(match[1].str()), std::stoull(match[2].str())};
    if (shard.index >= 1 && shard.index <= shard.count) return shard;
  }
  throw InputError(fmt::format("{}: expected K/N with 1 <= K <= N (the K-th of N slices), e.g. 2/4, got \"{}\"",
                               option, text));
}

std::set<std::string> shard_runs(const SweepSpec& spec, const std::vector<RunSpec>& runs, const Shard& shard) {
  // The grid's own limits only, never a flag's: every shard must cut the same slices.
  PlanOptions from_grid;
  from_grid.max_cohort = static_cast<std::size_t>(spec.max_cohort > 0 ? spec.max_cohort : kDefaultMaxCohort);
  from_grid.max_memory = spec.max_memory;
  const auto jobs = plan_jobs(runs, {}, from_grid);
  if (shard.count > jobs.size())
    throw InputError(fmt::format("--shard {}: this grid makes {} job{} (a cohort or a shared stream stays in one), so "
                                 "it cuts into at most {} shard{}: a shard past that would be empty",
                                 shard.text(), jobs.size(), jobs.size() == 1 ? "" : "s", jobs.size(),
                                 jobs.size() == 1 ? "" : "s"));
  std::vector<double> costs;
  for (const auto& job : jobs) costs.push_back(job.cost);
  const auto slices = balance_by_cost(costs, shard.count);
  std::set<std::string> ids;
  for (const auto job : slices.at(shard.index - 1))
    for (const auto* run : jobs[job].runs) ids.insert(run->id);
  return ids;
}

}  // namespace bsweep
