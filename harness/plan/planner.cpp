#include "plan/planner.h"

#include "batches.h"
#include "grid.h"

#include <algorithm>
#include <map>

namespace bsweep {

double expected_cost(const RunSpec& run) {
  const auto plan = plan_batches(run);
  return static_cast<double>(total_iterations(plan, run.budget)) * static_cast<double>(plan.batch_size + 16) *
         run.task.sample_cost();
}

std::set<std::string> data_carriers(const std::vector<RunSpec>& runs) {
  std::set<std::string> carriers, seen;
  for (const auto& run : runs)
    if (run.task.data_in_plane() &&
        seen.insert(run.task.name + "/" + run.generator + "/" + std::to_string(run.seed)).second)
      carriers.insert(run.id);
  return carriers;
}

std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done) {
  const auto carriers = data_carriers(runs);
  std::vector<Job> jobs;
  std::map<std::string, std::size_t> stream_job;
  std::set<std::string> streams_with_work;
  for (const auto& run : runs)
    if (run.shared_stream && !done.count(run.id)) streams_with_work.insert(stream_key(run));
  for (const auto& run : runs) {
    const bool missing = !done.count(run.id);
    if (!run.shared_stream) {
      if (missing) jobs.push_back({{&run}, {true}, {carriers.count(run.id) > 0}, expected_cost(run)});
      continue;
    }
    if (!streams_with_work.count(stream_key(run))) continue;
    auto [found, inserted] = stream_job.emplace(stream_key(run), jobs.size());
    if (inserted) jobs.emplace_back();
    auto& job = jobs[found->second];
    job.runs.push_back(&run);
    job.write.push_back(missing);
    job.keep_data.push_back(carriers.count(run.id) > 0);
    job.cost += expected_cost(run);
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.cost > b.cost; });
  return jobs;
}

}  // namespace bsweep
