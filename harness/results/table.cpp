#include "results/table.h"

#include "json_path.h"
#include "results/csv.h"
#include "results/runs_file.h"
#include "results/schema.h"

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

}  // namespace

WeightTable build_weight_table(const std::string& results) {
  WeightTable table;
  table.source = results;
  const auto runs = read_runs_file(results);
  const std::string& runs_file = runs.path;

  const std::regex weight_name("w[0-9]*|b");
  for (const auto& name : runs.header())
    if (std::regex_match(name, weight_name)) table.names.push_back(name);
  if (table.names.empty())
    throw InputError(fmt::format("{}:1: no weight columns (w, b): the table shows the final weights of linear tasks",
                                 runs_file));

  const auto task_col = runs.column("task");
  const auto batch_col = runs.column("batch_size"), effective_col = runs.column("batch_size_effective");
  const auto n_col = runs.column("n_train"), status_col = runs.column("status");
  std::vector<std::size_t> value_cols, lstsq_cols;
  for (const auto& name : table.names) {
    value_cols.push_back(runs.column(name));
    lstsq_cols.push_back(runs.column("lstsq_" + name));
  }

  // Groups in the order they first appear (grid order), then one least-squares row per task.
  struct Group {
    WeightRow row;
    std::vector<std::vector<double>> samples;
    double first_index = 0;  // smallest grid index of its runs: rows are in completion order, groups in grid order
    std::size_t task = 0;    // in `tasks`
  };
  // Per task, per seed, the (grid index, row) of the run whose least-squares solution stands for the seed's
  // data. A seed is keyed by its number, exact below 2^53, a larger one by its text.
  struct SeedRuns {
    std::vector<std::tuple<double, double, std::size_t>> by_number;  // (seed, index, row), sorted at the end
    std::map<std::string, std::pair<double, std::size_t>> by_text;
  };
  std::vector<Group> groups;
  std::map<std::vector<std::uint32_t>, std::size_t> group_of;  // the codes of task, batch size and axes
  std::vector<std::string> tasks;
  std::vector<std::vector<std::vector<double>>> lstsq_by_task;  // by task
  std::vector<SeedRuns> lstsq_row;                                 // by task
  const auto seed_col = runs.column("seed");
  // The tasks whose model is one linear layer: those whose runs have a bias in runs.csv (a failed run has none).
  const auto bias_col = runs.column("b");
  std::set<std::uint32_t> linear_tasks;  // by code
  for (std::size_t r = 0; r < runs.rows(); ++r)
    if (!runs.empty(r, bias_col)) linear_tasks.insert(runs.code(r, task_col));
  // The axes: settings that take more than one value among one linear task's runs.
  std::vector<std::size_t> axis_cols;
  for (const auto& name : axis_candidates(runs)) {
    const auto col = runs.column(name);
    std::map<std::uint32_t, std::set<std::uint32_t>> values;  // task -> values
    for (std::size_t r = 0; r < runs.rows(); ++r)
      if (linear_tasks.count(runs.code(r, task_col))) values[runs.code(r, task_col)].insert(runs.code(r, col));
    if (std::any_of(values.begin(), values.end(), [](const auto& entry) { return entry.second.size() > 1; })) {
      table.axes.push_back(name);
      axis_cols.push_back(col);
    }
  }
  const auto index_col = runs.column("index");
  std::vector<std::uint32_t> key;
  for (std::size_t r = 0; r < runs.rows(); ++r) {
    if (!linear_tasks.count(runs.code(r, task_col))) continue;
    if (runs.text_of_code(status_col, runs.code(r, status_col)) != "ok") {
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
      group.row.task = runs.text(r, task_col);
      group.row.batch_size = runs.text(r, batch_col);
      for (const auto col : axis_cols) group.row.axes.push_back(runs.text(r, col));
      group.row.batch_size_effective = runs.text(r, effective_col);
      group.row.regime = regime_of(group.row.batch_size_effective, runs.text(r, n_col));
      group.samples.resize(table.names.size());
      group.task = std::find(tasks.begin(), tasks.end(), group.row.task) - tasks.begin();
      if (group.task == tasks.size()) {
        tasks.push_back(group.row.task);
        lstsq_by_task.emplace_back(table.names.size());
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
    const double seed = runs.required_number(r, seed_col);
    if (seed < 9007199254740992.0) {
      lstsq_row[group.task].by_number.emplace_back(seed, index, r);
    } else {
      auto& chosen = lstsq_row[group.task].by_text;
      const auto found = chosen.find(runs.text(r, seed_col));
      if (found == chosen.end()) chosen.emplace(runs.text(r, seed_col), std::pair<double, std::size_t>{index, r});
      else if (index < found->second.first) found->second = {index, r};
    }
  }
  // (summarize sums in sorted order: the order of the seeds does not matter)
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto add = [&](const std::pair<double, std::size_t>& where) {
      for (std::size_t i = 0; i < table.names.size(); ++i)
        if (const auto value = runs.number(where.second, lstsq_cols[i])) lstsq_by_task[t][i].push_back(*value);
    };
    auto& by_number = lstsq_row[t].by_number;
    std::sort(by_number.begin(), by_number.end());  // by seed, then grid index: each seed's first run first
    for (std::size_t k = 0; k < by_number.size(); ++k)
      if (k == 0 || std::get<0>(by_number[k]) != std::get<0>(by_number[k - 1]))
        add({std::get<1>(by_number[k]), std::get<2>(by_number[k])});
    for (const auto& entry : lstsq_row[t].by_text) add(entry.second);
  }

  std::vector<std::size_t> by_index(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) by_index[g] = g;
  std::stable_sort(by_index.begin(), by_index.end(),
                   [&](std::size_t a, std::size_t b) { return groups[a].first_index < groups[b].first_index; });

  nlohmann::json expected;
  const auto& manifest = runs.manifest;
  if (manifest.is_object() && manifest.contains("grid") && manifest["grid"].contains("expected"))
    expected = manifest["grid"]["expected"];
  if (!expected.is_null()) {
    table.printed_source = expected.value("source", "");
    table.printed_digits = expected.value("digits", 2);
  }

  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto& task = tasks[t];
    for (const auto g : by_index) {
      const auto& group = groups[g];
      if (group.row.task != task) continue;
      WeightRow row = group.row;
      for (std::size_t i = 0; i < table.names.size(); ++i) {
        row.values.push_back(summarize(group.samples[i]));
        row.printed.emplace_back();
        row.differs.push_back(false);
        if (expected.is_null() || expected.value("task", "") != task) continue;
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
      table.rows.push_back(std::move(row));
    }
    WeightRow reference;
    reference.task = task;
    reference.batch_size = "least squares";
    for (const auto& values : lstsq_by_task[t]) {
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
