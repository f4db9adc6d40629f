#include "compare/compare.h"

#include "results/schema.h"
#include "results/status.h"
#include "util/json_path.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace bsweep {

bool metric_matches(const std::string& pattern, const std::string& metric) {
  if (fnmatch(pattern.c_str(), metric.c_str(), 0) == 0) return true;
  const std::string prefix = "final_";
  return metric.rfind(prefix, 0) == 0 && fnmatch(pattern.c_str(), metric.c_str() + prefix.size(), 0) == 0;
}

int better_direction(const std::string& metric) {
  const Column* column = find_run_column(metric);
  return column != nullptr && run_column_role(metric) == Role::metric ? column->better : 0;
}

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<std::string> config_columns() {
  std::vector<std::string> names;
  for (const auto& column : run_columns())
    if (column.role == Role::config) names.push_back(column.name);
  return names;
}

// Metric columns present in both files, in BASE's order, narrowed to what the user asked for.
std::vector<std::string> metrics_to_compare(const RunsFile& base, const RunsFile& next,
                                            const std::vector<std::string>& wanted) {
  std::vector<std::string> common;
  for (const auto& name : base.header())
    if (find_run_column(name) && run_column_role(name) == Role::metric && next.find(name)) common.push_back(name);
  if (wanted.empty()) return common;
  std::vector<std::string> chosen;
  for (const auto& pattern : wanted) {
    bool any = false;
    for (const auto& name : common) {
      if (!metric_matches(pattern, name)) continue;
      any = true;
      if (std::find(chosen.begin(), chosen.end(), name) == chosen.end()) chosen.push_back(name);
    }
    if (!any)
      throw InputError(fmt::format("--metric {}: no metric of both files matches; they have: {}", pattern,
                                   join(common)));
  }
  return chosen;
}

struct Group {
  Config config;
  std::vector<std::size_t> rows;  // row indices in the file
  double first_index = 0;         // smallest grid index of its runs: rows are in completion order
};

// Rows grouped by their key, in grid order. Key fields are settings, whose columns are coded: rows are grouped
// by their codes, and each group's text is read once. A setting whose column the file lacks (it was written before
// the setting existed, e.g. optimizer_options) reads as empty, its value where nothing is set.
std::vector<Group> group_rows(const RunsFile& runs, const std::vector<std::string>& key_fields) {
  constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  std::vector<std::size_t> columns;
  for (const auto& name : key_fields) columns.push_back(runs.find(name).value_or(kAbsent));
  const auto index_column = runs.column("index");
  std::vector<Group> groups;
  std::map<std::vector<std::uint32_t>, std::size_t> index;
  std::vector<std::uint32_t> key(columns.size());
  for (std::size_t r = 0; r < runs.rows(); ++r) {
    for (std::size_t k = 0; k < columns.size(); ++k) key[k] = columns[k] == kAbsent ? 0 : runs.code(r, columns[k]);
    const double grid_index = runs.required_number(r, index_column);
    auto [where, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      Config config;
      for (std::size_t k = 0; k < key_fields.size(); ++k)
        config.emplace_back(key_fields[k], columns[k] == kAbsent ? std::string() : runs.text(r, columns[k]));
      groups.push_back({config, {}, grid_index});
    }
    auto& group = groups[where->second];
    group.rows.push_back(r);
    group.first_index = std::min(group.first_index, grid_index);
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Group& a, const Group& b) { return a.first_index < b.first_index; });
  return groups;
}

// The key fields whose values differ somewhere among the configurations. Fields that describe the task (its
// type, parameters and sizes) count only where they differ between configurations of one task name.
std::vector<std::string> label_fields(const std::vector<const Config*>& configs, const std::vector<std::string>& keys) {
  static const std::set<std::string> task_bound = {"task_type", "task_params", "n_train", "n_test"};
  const auto task_at = std::find(keys.begin(), keys.end(), "task") - keys.begin();
  std::vector<std::string> varying;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const bool bound = task_bound.count(keys[k]) && task_at < static_cast<long>(keys.size());
    std::map<std::string, std::set<std::string>> values;  // per task name where bound, else all under ""
    for (const auto* config : configs) values[bound ? (*config)[task_at].second : ""].insert((*config)[k].second);
    if (std::any_of(values.begin(), values.end(), [](const auto& entry) { return entry.second.size() > 1; }))
      varying.push_back(keys[k]);
  }
  return varying;
}

std::string make_label(const Config& config, const std::vector<std::string>& fields) {
  std::string label, task;
  for (const auto& [name, value] : config) {
    if (name == "task") task = value;
    if (std::find(fields.begin(), fields.end(), name) == fields.end() || name == "task") continue;
    label += fmt::format(" {}={}", name, value);
  }
  // The task's name always leads: a reader needs to know which task a line is about.
  return task + label;
}

// How many of `rows` have a status for which `counted(status)` holds.
template <typename Predicate>
std::size_t count_status(const RunsFile& runs, const std::vector<std::size_t>& rows, Predicate counted) {
  const auto status = runs.column("status");
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](std::size_t r) {
    return counted(runs.coded_text(r, status));
  }));
}

// Values of a metric over the rows that finished ok and have one.
std::vector<double> values_of(const RunsFile& runs, const std::vector<std::size_t>& rows, const std::string& metric) {
  const auto status = runs.column("status"), column = runs.column(metric);
  std::vector<double> values;
  for (std::size_t r : rows) {
    const auto value = runs.number(r, column);  // checked even for failed rows: a bad field is bad input
    if (value && runs.coded_text(r, status) == to_string(RunStatus::ok)) values.push_back(*value);
  }
  return values;
}

MetricComparison compare_metric(const std::string& metric, std::vector<double> base, std::vector<double> next,
                                double alpha) {
  // Sorted once for the summaries and the test (the values are finite: NaN in an ok run is refused).
  std::sort(base.begin(), base.end());
  std::sort(next.begin(), next.end());
  MetricComparison result;
  result.metric = metric;
  result.unit = find_run_column(metric)->unit;
  result.base = summarize_sorted(base);
  result.next = summarize_sorted(next);
  result.delta = result.next.mean - result.base.mean;
  if (result.delta == 0)
    result.relative = 0;
  else if (result.base.mean == 0)
    result.relative = std::copysign(std::numeric_limits<double>::infinity(), result.delta);
  else
    result.relative = result.delta / std::fabs(result.base.mean);
  if (base.size() >= 2 && next.size() >= 2) {
    result.test = mann_whitney_u_sorted(base, next);
    result.significant = result.test->p < alpha;
  }
  result.too_few_seeds = !result.test || smallest_p_value(base.size(), next.size()) >= alpha;
  return result;
}

}  // namespace

Comparison compare_runs(const RunsFile& base, const RunsFile& next, const CompareOptions& options) {
  Comparison comparison;
  comparison.alpha = options.alpha;
  comparison.base = {base.source, base.rows(), 0};
  comparison.next = {next.source, next.rows(), 0};

  const auto all_config = config_columns();
  for (const auto& name : options.ignore) {
    if (std::find(all_config.begin(), all_config.end(), name) == all_config.end())
      throw InputError(fmt::format("--ignore {}: not a configuration column; these are: {}", name, join(all_config)));
  }
  comparison.ignored = options.ignore;
  for (const auto& name : all_config)
    if (std::find(options.ignore.begin(), options.ignore.end(), name) == options.ignore.end())
      comparison.matched_on.push_back(name);

  comparison.metrics = metrics_to_compare(base, next, options.metrics);
  const auto& metrics = comparison.metrics;
  const auto base_groups = group_rows(base, comparison.matched_on);
  const auto next_groups = group_rows(next, comparison.matched_on);

  std::vector<const Config*> every_config;
  for (const auto& group : base_groups) every_config.push_back(&group.config);
  for (const auto& group : next_groups) every_config.push_back(&group.config);
  const auto fields = label_fields(every_config, comparison.matched_on);

  std::map<Config, const Group*> next_by_config;
  for (const auto& group : next_groups) next_by_config[group.config] = &group;
  // Counts one side's runs of a configuration into `entry`; a configuration on one side only has its fields
  // checked all the same, since a bad field is bad input wherever it stands.
  const auto count_side = [&](ConfigComparison& entry, const RunsFile& runs, const Group& group, bool base_side,
                              bool alone) {
    const std::size_t failed = count_status(runs, group.rows, [](const std::string& s) { return s != to_string(RunStatus::ok); });
    (base_side ? entry.base_runs : entry.next_runs) = group.rows.size();
    (base_side ? entry.base_failed : entry.next_failed) = failed;
    (base_side ? entry.base_diverged : entry.next_diverged) =
        count_status(runs, group.rows, [](const std::string& s) { return s == to_string(RunStatus::diverged); });
    (base_side ? comparison.base : comparison.next).failed += failed;
    if (alone)
      for (const auto& metric : metrics) values_of(runs, group.rows, metric);
  };
  const auto new_entry = [&](const Group& group) {
    ConfigComparison entry;
    entry.config = group.config;
    entry.label = make_label(group.config, fields);
    return entry;
  };
  std::set<Config> matched;
  for (const auto& group : base_groups) {
    ConfigComparison entry = new_entry(group);
    const auto found = next_by_config.find(group.config);
    count_side(entry, base, group, true, found == next_by_config.end());
    if (found == next_by_config.end()) {
      comparison.only_base.push_back(std::move(entry));
      continue;
    }
    matched.insert(group.config);
    const Group& other = *found->second;
    count_side(entry, next, other, false, false);
    for (const auto& metric : metrics) {
      auto base_values = values_of(base, group.rows, metric);
      auto next_values = values_of(next, other.rows, metric);
      if (base_values.empty() || next_values.empty()) continue;  // e.g. weights of an MLP, or every run failed
      entry.metrics.push_back(compare_metric(metric, std::move(base_values), std::move(next_values), options.alpha));
    }
    comparison.matched.push_back(std::move(entry));
  }
  for (const auto& group : next_groups) {
    if (matched.count(group.config)) continue;
    ConfigComparison entry = new_entry(group);
    count_side(entry, next, group, false, true);
    comparison.only_next.push_back(std::move(entry));
  }
  return comparison;
}

}  // namespace bsweep
