#include "plot/sweep_view.h"

#include "results/schema.h"
#include "results/status.h"
#include "util/json_path.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace bsweep {
namespace fs = std::filesystem;

std::size_t SweepView::curve_column(const std::string& name) const {
  if (auto found = find_column(curves, name)) return *found;
  throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep curves.csv", curves_path, name));
}

double SweepView::curve_number(std::size_t row, std::size_t column) const {
  return field_number(curves, curves_path, row, column).value_or(std::nan(""));
}

std::string SweepView::run_id(std::size_t run_row) const { return runs.text(run_row, runs.column("run_id")); }

namespace {

// Config fields other than the task's own, the batch size and the seed that take several values within a task.
std::vector<std::string> varying_fields(const RunsFile& runs, const std::vector<std::size_t>& rows) {
  static const std::set<std::string> skip = {"task", "task_type", "task_params", "n_train", "n_test", "batch_size"};
  std::vector<std::string> fields;
  for (const auto& column : run_columns()) {
    if (column.role != Role::config || skip.count(column.name)) continue;
    const auto at = runs.find(column.name);  // a folder of an older version may lack a newer config column
    if (!at) continue;
    std::set<std::uint32_t> values;  // settings are coded: equal codes, equal texts
    for (auto r : rows) values.insert(runs.code(r, *at));
    if (values.size() > 1) fields.push_back(column.name);
  }
  return fields;
}

// A results file keyed by run_id in its first column, read into `table` with its rows indexed by run, where it
// exists (false where it does not); another header is an InputError.
bool load_run_table(const std::string& path, const std::vector<Column>& columns, CsvTable& table,
                    std::map<std::string, std::vector<std::size_t>>& rows_of_run) {
  if (!fs::exists(path)) return false;
  table = read_csv(path);
  if (table.header != header_of(columns))
    throw InputError(fmt::format("{}:1: not a bsweep {} (its columns are not {})", path,
                                 fs::path(path).filename().string(), fmt::join(header_of(columns), ", ")));
  for (std::size_t r = 0; r < table.rows.size(); ++r) rows_of_run[table.rows[r][0]].push_back(r);
  return true;
}

}  // namespace

SweepView load_sweep_view(const std::string& results) {
  if (!fs::is_directory(results))
    throw InputError(fmt::format("{}: not a folder: give a results folder (it holds runs.csv and curves.csv)", results));
  SweepView view;
  view.source = results;
  view.runs = read_runs_file(results);
  view.curves_path = (fs::path(results) / "curves.csv").string();
  if (!fs::exists(view.curves_path)) throw InputError(fmt::format("{}: no such file", view.curves_path));
  view.curves = read_csv(view.curves_path);
  view.name = view.runs.manifest.is_object() && view.runs.manifest.contains("grid")
                  ? view.runs.manifest["grid"].value("name", fs::path(results).filename().string())
                  : fs::path(results).filename().string();
  const auto id_column = view.curve_column("run_id");
  for (std::size_t r = 0; r < view.curves.rows.size(); ++r) view.curve_rows[view.curves.rows[r][id_column]].push_back(r);
  // data.csv: absent in folders of versions before it, and then the plots go without the data.
  view.data_path = (fs::path(results) / "data.csv").string();
  load_run_table(view.data_path, data_columns(), view.data, view.data_rows);
  // probes.csv: absent in folders of versions before it.
  view.series_path = (fs::path(results) / "probes.csv").string();
  if (load_run_table(view.series_path, series_columns(), view.series, view.series_rows)) {
    // Every number checked now, before anything is drawn: a figure half written is worse than none.
    const auto quantity_col = *find_column(view.series, "quantity");
    for (std::size_t r = 0; r < view.series.rows.size(); ++r)
      for (std::size_t c = 1; c < view.series.header.size(); ++c)
        if (c != quantity_col && !field_number(view.series, view.series_path, r, c))
          throw InputError(fmt::format("{}: expected a number, got an empty field",
                                       field_location(view.series, view.series_path, r, c)));
  }

  const auto& runs = view.runs;
  const auto task_col = runs.column("task"), type_col = runs.column("task_type");
  const auto batch_col = runs.column("batch_size"), effective_col = runs.column("batch_size_effective");
  const auto n_train_col = runs.column("n_train"), n_test_col = runs.column("n_test");
  const auto status_col = runs.column("status"), index_col = runs.column("index");

  // Rows in grid order, so that tasks and lines come in the order the grid lists them.
  std::vector<std::pair<double, std::size_t>> order(runs.rows());
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = {runs.required_number(r, index_col), r};
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Tasks, and lines within them, are found by the codes of their settings (results/runs_file.h): a million
  // rows are grouped without a string made per row.
  std::map<std::uint32_t, std::size_t> task_of_code;
  std::vector<std::vector<std::size_t>> rows_of_task;
  for (const auto& entry : order) {
    const std::size_t r = entry.second;
    const auto code = runs.code(r, task_col);
    if (!task_of_code.count(code)) {
      PlotTask task;
      task.name = runs.text_of_code(task_col, code);
      task.type = runs.text(r, type_col);
      task.has_test = runs.required_number(r, n_test_col) > 0;
      task.classifier = !runs.empty(r, runs.column("final_train_accuracy"));
      task_of_code[code] = view.tasks.size();
      view.tasks.push_back(task);
      rows_of_task.emplace_back();
    }
    rows_of_task[task_of_code[code]].push_back(r);
  }
  const auto bias = runs.find("b");
  for (std::size_t t = 0; t < view.tasks.size(); ++t) {
    auto& task = view.tasks[t];
    const auto& rows = rows_of_task[t];
    for (auto r : rows) {
      task.linear_model = task.linear_model || (bias && !runs.empty(r, *bias));
      if (!view.data_rows.empty() && !task.has_plane_data) task.has_plane_data = view.data_rows.count(view.run_id(r));
    }
    std::vector<std::size_t> key_cols = {batch_col, effective_col, n_train_col};
    for (const auto& field : varying_fields(runs, rows)) key_cols.push_back(runs.column(field));
    std::map<std::vector<std::uint32_t>, std::size_t> line_of;
    std::vector<std::uint32_t> key(key_cols.size());
    for (auto r : rows) {
      for (std::size_t k = 0; k < key_cols.size(); ++k) key[k] = runs.code(r, key_cols[k]);
      auto found = line_of.find(key);
      if (found == line_of.end()) {
        std::string batch = runs.text(r, batch_col);
        const std::string effective = runs.text(r, effective_col);
        if (batch == "full") batch = fmt::format("full ({})", effective.empty() ? runs.text(r, n_train_col) : effective);
        std::string label = "batch " + batch;
        for (std::size_t k = 3; k < key_cols.size(); ++k)
          label += fmt::format(", {}={}", runs.header()[key_cols[k]], runs.text(r, key_cols[k]));
        PlotLine line;
        line.label = label;
        line.batch_label = batch;
        line.batch = effective.empty() ? runs.required_number(r, n_train_col) : runs.required_number(r, effective_col);
        found = line_of.emplace(key, task.lines.size()).first;
        task.lines.push_back(line);
      }
      auto& line = task.lines[found->second];
      if (runs.coded_text(r, status_col) == to_string(RunStatus::ok)) {
        line.ok_rows.push_back(r);
      } else {
        line.failed_rows.push_back(r);
        ++view.failed;
      }
    }
    std::stable_sort(task.lines.begin(), task.lines.end(),
                     [](const PlotLine& a, const PlotLine& b) { return a.batch < b.batch; });
  }
  return view;
}

std::vector<BandPoint> curve_band(const SweepView& view, const PlotLine& line, const std::string& x,
                                  const std::string& y) {
  const auto x_col = view.curve_column(x), y_col = view.curve_column(y);
  std::vector<std::vector<std::pair<double, double>>> runs;
  for (auto r : line.ok_rows) {
    const auto found = view.curve_rows.find(view.run_id(r));
    if (found == view.curve_rows.end()) continue;
    std::vector<std::pair<double, double>> points;
    for (auto c : found->second) points.emplace_back(view.curve_number(c, x_col), view.curve_number(c, y_col));
    runs.push_back(std::move(points));
  }
  std::vector<BandPoint> band;
  if (runs.empty()) return band;
  // Runs of one configuration log the same points, but a run that met its target ("until") or diverged stops
  // early: each point is the mean over the runs that reached it.
  std::size_t length = 0;
  for (const auto& points : runs) length = std::max(length, points.size());
  for (std::size_t i = 0; i < length; ++i) {
    std::vector<double> xs, ys;
    for (const auto& points : runs) {
      if (i >= points.size() || std::isnan(points[i].second)) continue;
      xs.push_back(points[i].first);
      ys.push_back(points[i].second);
    }
    if (ys.empty()) continue;
    const auto ys_summary = summarize(ys);
    band.push_back({summarize(xs).mean, ys_summary.mean, ys_summary.std});
  }
  return band;
}

std::vector<double> run_values(const SweepView& view, const PlotLine& line, const std::string& column) {
  const auto at = view.runs.column(column);
  std::vector<double> values;
  for (auto r : line.ok_rows)
    if (auto value = view.runs.number(r, at)) values.push_back(*value);
  return values;
}

Summary run_summary(const SweepView& view, const PlotLine& line, const std::string& column) {
  const auto key = std::make_pair(&line, column);
  const auto found = view.summaries.find(key);
  if (found != view.summaries.end()) return found->second;
  return view.summaries[key] = summarize(run_values(view, line, column));
}

PlaneData training_data(const SweepView& view, std::size_t run_row) {
  const auto seed_col = view.runs.column("seed"), generator_col = view.runs.column("generator");
  const auto task_col = view.runs.column("task");
  const auto same_data = [&](std::size_t other) {
    return view.runs.text(other, task_col) == view.runs.text(run_row, task_col) &&
           view.runs.text(other, seed_col) == view.runs.text(run_row, seed_col) &&
           view.runs.text(other, generator_col) == view.runs.text(run_row, generator_col);
  };
  for (std::size_t other = 0; other < view.runs.rows(); ++other) {
    const auto found = view.data_rows.find(view.run_id(other));
    if (found == view.data_rows.end() || !same_data(other)) continue;
    PlaneData data;
    const auto x_col = *find_column(view.data, "x"), y_col = *find_column(view.data, "y");
    for (auto row : found->second) {
      data.x.push_back(field_number(view.data, view.data_path, row, x_col).value_or(std::nan("")));
      data.y.push_back(field_number(view.data, view.data_path, row, y_col).value_or(std::nan("")));
    }
    return data;
  }
  return {};
}

}  // namespace bsweep
