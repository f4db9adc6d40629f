#include "plan/planner.h"

#include "spec/batches.h"
#include "spec/grid.h"

#include <algorithm>
#include <numeric>
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

std::string cohort_key(const RunSpec& run) {
  auto config = run.config();
  config.erase("seed");
  config.erase("lr");
  if (config.contains("optimizer") && config["optimizer"].is_object()) config["optimizer"].erase("momentum");
  return config.dump();
}

bool trains_alone(const RunSpec& run) {
  return run.until.has_value() || run.warmup_epochs > 0 || (run.probes.is_object() && !run.probes.empty());
}

bool cohort_pays(const RunSpec& run) {
  return static_cast<double>(plan_batches(run).batch_size) * run.task.sample_cost() <= kCohortStepWork;
}

double replica_bytes(const RunSpec& run) {
  const double dtype_bytes = run.dtype == "float64" ? 8 : 4;
  const double samples = static_cast<double>(run.task.train_size() + run.task.test_size());
  // Per sample: its inputs and target twice (stacked, shuffled), and the activations of every layer (sample_cost
  // counts them) with their gradients; 8 values of slack per sample for inputs wider than the cost says.
  const double per_sample = 2 * 8 + 2 * run.task.sample_cost();
  return dtype_bytes * samples * per_sample + 4096;
}

std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done,
                           const PlanOptions& options) {
  const auto carriers = data_carriers(runs);
  std::vector<Job> jobs;
  // Cohorts first: the missing runs of each cohort key, in grid order, cut by size and memory.
  std::map<std::string, std::vector<const RunSpec*>> groups;
  std::vector<std::string> group_order;
  if (options.batching) {
    for (const auto& run : runs) {
      if (run.shared_stream || done.count(run.id) || !cohort_pays(run) || trains_alone(run)) continue;
      auto [found, inserted] = groups.emplace(cohort_key(run), std::vector<const RunSpec*>{});
      if (inserted) group_order.push_back(found->first);
      found->second.push_back(&run);
    }
  }
  std::set<std::string> in_cohort;
  const double byte_budget = options.max_memory > 0 ? static_cast<double>(options.max_memory) / 4 : kCohortBytes;
  for (const auto& key : group_order) {
    const auto& group = groups[key];
    const double bytes = replica_bytes(*group.front());
    const auto by_memory = static_cast<std::size_t>(std::max(1.0, byte_budget / bytes));
    const std::size_t cap = std::max<std::size_t>(1, std::min(options.max_cohort, by_memory));
    for (std::size_t start = 0; start < group.size(); start += cap) {
      const std::size_t end = std::min(group.size(), start + cap);
      if (end - start < 2) break;  // a cohort of one trains alone
      Job job;
      job.cohort = true;
      for (std::size_t i = start; i < end; ++i) {
        job.runs.push_back(group[i]);
        job.write.push_back(true);
        job.keep_data.push_back(carriers.count(group[i]->id) > 0);
        job.cost += expected_cost(*group[i]);
        in_cohort.insert(group[i]->id);
      }
      jobs.push_back(std::move(job));
    }
  }
  std::map<std::string, std::size_t> stream_job;
  std::set<std::string> streams_with_work;
  for (const auto& run : runs)
    if (run.shared_stream && !done.count(run.id)) streams_with_work.insert(stream_key(run));
  for (const auto& run : runs) {
    const bool missing = !done.count(run.id);
    if (in_cohort.count(run.id)) continue;
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

std::vector<std::vector<std::size_t>> balance_by_cost(const std::vector<double>& costs, std::size_t bins) {
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::vector<std::size_t>> out(std::max<std::size_t>(1, bins));
  std::vector<double> load(out.size(), 0.0);
  for (const auto item : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    out[lightest].push_back(item);
    load[lightest] += costs[item];
  }
  return out;
}

}  // namespace bsweep
