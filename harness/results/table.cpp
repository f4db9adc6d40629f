#include "results/table.h"

#include "results/csv.h"
#include "results/runs_file.h"
#include "results/schema.h"
#include "results/status.h"
#include "util/json_path.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <tuple>
#include <unordered_map>

namespace bsweep {

namespace {

std::string regime_of(const std::string& effective, const std::string& n_train) {
  if (effective == "1") return "stochastic";
  if (effective == n_train) return "full batch";
  return "mini-batch";
}

// The configuration columns that tell runs of one task apart besides the batch size and the seed; those that
// describe the task itself (its type, parameters, sizes) are the same for every run of a task name.
std::vector<std::string> axis_candidates(const RunsFile& runs) {
  static const std::set<std::string> not_axes = {"task", "task_type", "task_params", "n_train", "n_test", "batch_size"};
  std::vector<std::string> names;
  for (const auto& column : run_columns())
    if (column.role == Role::config && !not_axes.count(column.name) && runs.find(column.name))
      names.push_back(column.name);
  return names;
}

// The runs of one task, batch size and value of every axis.
struct Group {
  WeightRow row;
  std::vector<std::vector<double>> samples;  // by weight name
  double first_index = 0;  // smallest grid index of its runs: rows are in completion order, groups in grid order
  std::size_t task = 0;    // in the table's task order
};

// Per task, per seed, the (grid index, row) of the run whose least-squares solution stands for the seed's data.
// A seed is keyed by its number, exact below 2^53, a larger one by its text.
struct SeedRuns {
  std::vector<std::tuple<double, double, std::size_t>> by_number;  // (seed, index, row), sorted at the end
  std::map<std::string, std::pair<double, std::size_t>> by_text;

  void add(const RunsFile& runs, std::size_t seed_col, double index, std::size_t r) {
    const double seed = runs.required_number(r, seed_col);
    if (seed < 9007199254740992.0) {
      by_number.emplace_back(seed, index, r);
      return;
    }
    const auto found = by_text.find(runs.text(r, seed_col));
    if (found == by_text.end()) by_text.emplace(runs.text(r, seed_col), std::pair<double, std::size_t>{index, r});
    else if (index < found->second.first) found->second = {index, r};
  }

  // The least-squares values of each weight over the seeds, each seed's first run in grid order.
  // (summarize sums in sorted order: the order of the seeds does not matter)
  std::vector<std::vector<double>> values(const RunsFile& runs, const std::vector<std::size_t>& lstsq_cols) {
    std::vector<std::vector<double>> out(lstsq_cols.size());
    const auto add = [&](std::size_t r) {
      for (std::size_t i = 0; i < lstsq_cols.size(); ++i)
        if (const auto value = runs.number(r, lstsq_cols[i])) out[i].push_back(*value);
    };
    std::sort(by_number.begin(), by_number.end());  // by seed, then grid index: each seed's first run first
    for (std::size_t k = 0; k < by_number.size(); ++k)
      if (k == 0 || std::get<0>(by_number[k]) != std::get<0>(by_number[k - 1])) add(std::get<2>(by_number[k]));
    for (const auto& entry : by_text) add(entry.second.second);
    return out;
  }
};

// The tasks whose model is one linear layer, by code: those whose runs have a bias in runs.csv (a failed run has
// none).
std::set<std::uint32_t> linear_tasks_of(const RunsFile& runs) {
  const auto task_col = runs.column("task"), bias_col = runs.column("b");
  std::set<std::uint32_t> linear_tasks;
  for (std::size_t r = 0; r < runs.rows(); ++r)
    if (!runs.empty(r, bias_col)) linear_tasks.insert(runs.code(r, task_col));
  return linear_tasks;
}

// The axes: settings that take more than one value among one linear task's runs; their columns.
std::vector<std::size_t> find_axes(const RunsFile& runs, const std::set<std::uint32_t>& linear_tasks,
                                   std::vector<std::string>& names) {
  const auto task_col = runs.column("task");
  std::vector<std::size_t> axis_cols;
  for (const auto& name : axis_candidates(runs)) {
    const auto col = runs.column(name);
    std::map<std::uint32_t, std::set<std::uint32_t>> values;  // task -> values
    for (std::size_t r = 0; r < runs.rows(); ++r)
      if (linear_tasks.count(runs.code(r, task_col))) values[runs.code(r, task_col)].insert(runs.code(r, col));
    if (std::any_of(values.begin(), values.end(), [](const auto& entry) { return entry.second.size() > 1; })) {
      names.push_back(name);
      axis_cols.push_back(col);
    }
  }
  return axis_cols;
}

// The weight columns of a runs.csv: w (or w0, w1, ...) and b; none is an InputError.
std::vector<std::string> weight_names(const RunsFile& runs) {
  const std::regex weight_name("w[0-9]*|b");
  std::vector<std::string> names;
  for (const auto& name : runs.header())
    if (std::regex_match(name, weight_name)) names.push_back(name);
  if (names.empty())
    throw InputError(fmt::format("{}:1: no weight columns (w, b): the table shows the final weights of linear tasks",
                                 runs.path));
  return names;
}

// The settings of a group's row, from its first run.
WeightRow first_row_of_group(const RunsFile& runs, std::size_t r, const std::vector<std::size_t>& axis_cols) {
  WeightRow row;
  row.task = runs.text(r, runs.column("task"));
  row.batch_size = runs.text(r, runs.column("batch_size"));
  for (const auto col : axis_cols) row.axes.push_back(runs.text(r, col));
  row.batch_size_effective = runs.text(r, runs.column("batch_size_effective"));
  row.regime = regime_of(row.batch_size_effective, runs.text(r, runs.column("n_train")));
  return row;
}

// The grid's `expected` values (the notes' printed table), null where it has none; their source and digits go
// into the table.
nlohmann::json expected_values(const RunsFile& runs, WeightTable& table) {
  const auto& manifest = runs.manifest;
  if (!manifest.is_object() || !manifest.contains("grid") || !manifest["grid"].contains("expected")) return nullptr;
  const auto& expected = manifest["grid"]["expected"];
  if (expected.is_null()) return nullptr;
  table.printed_source = expected.value("source", "");
  table.printed_digits = expected.value("digits", 2);
  return expected;
}

// A group's row, each weight summarized, beside the grid's `expected` value where it has one.
WeightRow summarized_row(const Group& group, const WeightTable& table, const nlohmann::json& expected) {
  WeightRow row = group.row;
  for (std::size_t i = 0; i < table.names.size(); ++i) {
    row.values.push_back(summarize(group.samples[i]));
    row.printed.emplace_back();
    row.differs.push_back(false);
    if (expected.is_null() || expected.value("task", "") != row.task) continue;
    for (const auto& entry : expected["values"]) {
      const auto& size = entry["batch_size"];
      const std::string label = size.is_string() ? size.get<std::string>() : std::to_string(size.get<long long>());
      if (label != row.batch_size || !entry.contains(table.names[i])) continue;
      const double printed = entry[table.names[i]];
      const double scale = std::pow(10.0, table.printed_digits);
      row.printed[i] = printed;
      row.differs[i] = std::round(row.values[i].mean * scale) != std::round(printed * scale);
    }
  }
  return row;
}

}  // namespace

WeightTable build_weight_table(const std::string& results) {
  WeightTable table;
  table.source = results;
  const auto runs = read_runs_file(results);
  table.names = weight_names(runs);

  const auto task_col = runs.column("task");
  const auto batch_col = runs.column("batch_size"), status_col = runs.column("status");
  std::vector<std::size_t> value_cols, lstsq_cols;
  for (const auto& name : table.names) {
    value_cols.push_back(runs.column(name));
    lstsq_cols.push_back(runs.column("lstsq_" + name));
  }

  // Groups in the order they first appear (grid order), then one least-squares row per task.
  std::vector<Group> groups;
  std::map<std::vector<std::uint32_t>, std::size_t> group_of;  // the codes of task, batch size and axes
  std::vector<std::string> tasks;
  std::vector<SeedRuns> lstsq_row;  // by task
  const auto seed_col = runs.column("seed");
  const auto linear_tasks = linear_tasks_of(runs);
  const auto axis_cols = find_axes(runs, linear_tasks, table.axes);
  const auto index_col = runs.column("index");
  std::vector<std::uint32_t> key;
  for (std::size_t r = 0; r < runs.rows(); ++r) {
    if (!linear_tasks.count(runs.code(r, task_col))) continue;
    if (runs.coded_text(r, status_col) != to_string(RunStatus::ok)) {
      ++table.failed_runs;
      continue;
    }
    key = {runs.code(r, task_col), runs.code(r, batch_col)};
    for (const auto col : axis_cols) key.push_back(runs.code(r, col));
    const double index = runs.required_number(r, index_col);
    auto found_group = group_of.find(key);
    if (found_group == group_of.end()) {
      found_group = group_of.emplace(key, groups.size()).first;
      Group group;
      group.first_index = index;
      group.row = first_row_of_group(runs, r, axis_cols);
      group.samples.resize(table.names.size());
      group.task = std::find(tasks.begin(), tasks.end(), group.row.task) - tasks.begin();
      if (group.task == tasks.size()) {
        tasks.push_back(group.row.task);
        lstsq_row.emplace_back();
      }
      groups.push_back(std::move(group));
    }
    auto& group = groups[found_group->second];
    group.first_index = std::min(group.first_index, index);
    // A weight column a narrower task does not have (w1 of a 1-feature task beside a 2-feature one) is empty.
    for (std::size_t i = 0; i < table.names.size(); ++i)
      if (const auto value = runs.number(r, value_cols[i])) group.samples[i].push_back(*value);
    // The least-squares solution depends on the data alone: once per task and seed, from the run first in grid
    // order (each run solves it anew, in floating point, so the row chosen must not depend on the file's order).
    lstsq_row[group.task].add(runs, seed_col, index, r);
  }

  std::vector<std::size_t> by_index(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) by_index[g] = g;
  std::stable_sort(by_index.begin(), by_index.end(),
                   [&](std::size_t a, std::size_t b) { return groups[a].first_index < groups[b].first_index; });

  const auto expected = expected_values(runs, table);

  for (std::size_t t = 0; t < tasks.size(); ++t) {
    for (const auto g : by_index)
      if (groups[g].task == t) table.rows.push_back(summarized_row(groups[g], table, expected));
    WeightRow reference;
    reference.task = tasks[t];
    reference.batch_size = "least squares";
    for (const auto& values : lstsq_row[t].values(runs, lstsq_cols)) {
      reference.values.push_back(summarize(values));
      reference.printed.emplace_back();
      reference.differs.push_back(false);
    }
    table.rows.push_back(std::move(reference));
  }
  return table;
}

std::string format_markdown(const WeightTable& table, int decimals) {
  const bool has_printed = !table.printed_source.empty();
  std::string out = fmt::format("Final weights by batch size ({})\n\n| task | batch size |", table.source);
  for (const auto& axis : table.axes) out += fmt::format(" {} |", axis);
  out += " regime | runs |";
  for (const auto& name : table.names) out += fmt::format(" {} |", name);
  if (has_printed)
    for (const auto& name : table.names) out += fmt::format(" printed {} |", name);
  out += "\n|---|---|---|---|";
  for (std::size_t i = 0; i < table.axes.size(); ++i) out += "---|";
  for (std::size_t i = 0; i < table.names.size() * (has_printed ? 2 : 1); ++i) out += "---|";
  out += "\n";
  bool any_differs = false;
  for (const auto& row : table.rows) {
    std::string batch = row.batch_size;
    if (row.batch_size == "full") batch = fmt::format("full ({})", row.batch_size_effective);
    out += fmt::format("| {} | {} |", row.task, batch);
    for (std::size_t i = 0; i < table.axes.size(); ++i) out += fmt::format(" {} |", i < row.axes.size() ? row.axes[i] : "");
    out += fmt::format(" {} | {} |", row.regime, row.values.empty() ? 0 : row.values.back().count);
    for (const auto& value : row.values) {
      out += value.count > 1    ? fmt::format(" {:.{}f} ± {:.{}f} |", value.mean, decimals, value.std, decimals)
             : value.count == 1 ? fmt::format(" {:.{}f} |", value.mean, decimals)
                                : std::string(" |");
    }
    if (has_printed) {
      for (std::size_t i = 0; i < row.printed.size(); ++i) {
        if (!row.printed[i]) {
          out += " |";
          continue;
        }
        any_differs = any_differs || row.differs[i];
        out += fmt::format(" {:.{}f}{} |", *row.printed[i], table.printed_digits, row.differs[i] ? " ✗" : "");
      }
    }
    out += "\n";
  }
  if (has_printed) {
    out += fmt::format("\nprinted: the values printed in {}.", table.printed_source);
    if (any_differs)
      out += fmt::format(" ✗: the printed value differs from the reproduced one rounded to {} decimals "
                         "(see docs/claims.md, \"The notes' w/b table\").",
                         table.printed_digits);
    out += "\n";
  }
  if (table.failed_runs > 0)
    out += fmt::format("\n{} linear run(s) did not finish ok and are left out.\n", table.failed_runs);
  return out;
}

std::string format_csv(const WeightTable& table) {
  std::vector<std::string> header = {"task", "batch_size", "batch_size_effective"};
  header.insert(header.end(), table.axes.begin(), table.axes.end());
  header.insert(header.end(), {"regime", "runs"});
  for (const auto& name : table.names) {
    header.push_back(name + "_mean");
    header.push_back(name + "_std");
  }
  for (const auto& name : table.names) {
    header.push_back("printed_" + name);
    header.push_back("printed_" + name + "_differs");
  }
  std::string out = csv_line(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> fields = {row.task, row.batch_size, row.batch_size_effective};
    for (std::size_t i = 0; i < table.axes.size(); ++i) fields.push_back(i < row.axes.size() ? row.axes[i] : "");
    fields.insert(fields.end(), {row.regime, std::to_string(row.values.empty() ? 0 : row.values.back().count)});
    for (const auto& value : row.values) {
      fields.push_back(fmt::format("{}", value.mean));
      fields.push_back(fmt::format("{}", value.std));
    }
    for (std::size_t i = 0; i < row.printed.size(); ++i) {
      fields.push_back(row.printed[i] ? fmt::format("{}", *row.printed[i]) : "");
      fields.push_back(row.printed[i] ? (row.differs[i] ? "true" : "false") : "");
    }
    out += csv_line(fields);
  }
  return out;
}

}  // namespace bsweep
