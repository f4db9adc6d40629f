#include "results/schema.h"

#include "results/status.h"

#include "spec/optimizer.h"
#include "spec/measures.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string_view>
#include <stdexcept>
#include <string>

namespace bsweep {

namespace {

// The declared measures of `where` as columns (results/schema.h): probes/measures.h owns them.
std::vector<Column> measure_columns(Destination where, Role role) {
  std::vector<Column> columns;
  for (const auto& measure : measures())
    if (measure.where == where) columns.push_back({measure.name, measure.unit, measure.doc, role, measure.better});
  return columns;
}

std::vector<Column> with_measures(std::vector<Column> columns, const char* before, Destination where, Role role) {
  auto at = columns.end();
  for (auto it = columns.begin(); it != columns.end(); ++it)
    if (before != nullptr && it->name == before) at = it;
  const auto extra = measure_columns(where, role);
  columns.insert(at, extra.begin(), extra.end());
  return columns;
}

}  // namespace

const std::vector<Column>& run_columns() {
  static const std::vector<Column> columns = with_measures({
      {"run_id", "", "stable id: hash of the run's configuration", Role::identity},
      {"index", "", "position of the run in grid order, from 0", Role::identity},
      {"task", "", "task name from the grid", Role::config},
      {"task_type", "", "the task's kind: its type in the grid", Role::config},
      {"task_params", "", "the task's resolved parameters, as JSON", Role::config},
      {"n_train", "samples", "training set size", Role::config},
      {"n_test", "samples", "test set size", Role::config},
      {"batch_size", "samples", "as given in the grid: a number or \"full\"", Role::config},
      {"batch_size_effective", "samples", "the batch size used (\"full\" and sizes above n_train become n_train)", Role::derived},
      {"lr", "", "learning rate", Role::config},
      {"lr_scaling", "", "none, or the rule and base batch that scale lr with the batch size: linear/B or sqrt/B", Role::config},
      {"warmup_epochs", "epochs", "epochs over which the learning rate climbs linearly to lr_used (0: none)", Role::config},
      {"lr_used", "", "the peak learning rate the run trained with: lr after lr_scaling (warmup climbs to it)", Role::derived},
      {"optimizer", "", fmt::format("{}", fmt::join(optimizer_names(), " or ")), Role::config},
      {"momentum", "", "SGD momentum (empty for adam and adamw)", Role::config},
      {"optimizer_options", "", "the optimizer's other options not at their default, as JSON (e.g. {\"weight_decay\":0.01}); empty: none", Role::config},
      {"epochs", "", "epoch budget (empty when the budget is steps)", Role::config},
      {"steps", "", "step budget (empty when the budget is epochs)", Role::config},
      {"until", "", "the target that ends a run early, e.g. train_loss<=0.1 (empty: none; the budget is then a cap)", Role::config},
      {"seed", "", "seed of the run's random stream", Role::identity},
      {"dtype", "", "float32 or float64", Role::config},
      {"device", "", "device asked for: cpu, cuda or auto", Role::config},
      {"device_used", "", "device the run trained on, e.g. cpu or cuda:0", Role::outcome},
      {"shuffle", "", "true: a fresh permutation every epoch", Role::config},
      {"drop_last", "", "true: the last partial batch of an epoch is skipped", Role::config},
      {"log_every", "iterations", "curve points every k iterations as well as at epoch ends (0: epoch ends only)", Role::config},
      {"generator", "", "torch or numpy: where the run's random numbers come from", Role::config},
      {"stream", "", "per_run, or shared (the run continues the stream of stream_previous)", Role::config},
      {"stream_previous", "", "shared stream: the run before this one in its stream (empty for the first)", Role::identity},
      {"probes", "", "the probes the run took, with their options, as JSON (empty: none)", Role::config},
      {"iterations_per_epoch", "iterations", "optimizer steps per epoch", Role::derived},
      {"iterations", "iterations", "optimizer steps taken", Role::derived},
      {"final_train_loss", "", "loss over the whole training set after the last step", Role::metric, -1},
      {"final_test_loss", "", "loss over the test set after the last step (empty when n_test is 0)", Role::metric, -1},
      {"final_train_accuracy", "fraction", "classification tasks only", Role::metric, +1},
      {"final_test_accuracy", "fraction", "classification tasks only", Role::metric, +1},
      {kWeightsMarker, "",
       "linear task only: final weight(s) w (or w0, w1, ...) and bias b; then lstsq_w (or lstsq_w0, ...) and "
       "lstsq_b, the least-squares solution of the same training data", Role::metric},
      {"wall_s", "s", "whole run: data, model, training, evaluation and probes (in a cohort: the cohort's, divided by its size)", Role::metric, -1},
      {"train_s", "s", "optimizer steps only, evaluation excluded (in a cohort: its share of the cohort's, the "
       "time divided among the runs training at each moment)", Role::metric, -1},
      {"epoch_s", "s", "step_s times iterations_per_epoch: one epoch of this configuration trained alone", Role::metric, -1},
      {"step_s", "s", "seconds per optimizer step of this configuration trained alone: train_s / iterations, or for "
       "a run in a cohort, a probe of its first run alone (min(200 steps, the budget))", Role::metric, -1},
      {"samples_per_s", "samples/s", "training samples per second of step_s (alone)", Role::metric, +1},
      {"process_peak_rss_bytes", "bytes",
       "peak resident set of the worker process that ran it, from wait4 (LibTorch included; for a shared stream, "
       "of all its runs; in a cohort, of the whole cohort)", Role::metric, -1},
      {"cohort", "", "the cohort the run trained in (its first run's id); empty: the run trained alone", Role::outcome},
      {"cohort_size", "runs", "how many runs trained together in that cohort (1: alone)", Role::outcome},
      {"status", "", run_status_names() + " (the table of run statuses, below)", Role::outcome},
      {"error", "", "what went wrong, empty when ok", Role::outcome},
      {"row_digest", "", "FNV-1a of the row's other fields as written: readers refuse a row edited since (a checksum, not a signature)", Role::identity},
  }, "process_peak_rss_bytes", Destination::runs, Role::metric);
  return columns;
}

namespace {

// The header of `columns` with the weights marker expanded: w (or w0..w{k-1}) and b, once per prefix.
std::vector<std::string> expand_weights(const std::vector<Column>& columns, std::int64_t linear_features,
                                        const std::vector<const char*>& prefixes) {
  std::vector<std::string> header;
  for (const auto& column : columns) {
    if (column.name != kWeightsMarker) {
      header.push_back(column.name);
      continue;
    }
    for (const char* prefix : prefixes) {
      for (std::int64_t i = 0; i < linear_features; ++i)
        header.push_back(prefix + linear_weight_column(static_cast<std::size_t>(i), linear_features));
      if (linear_features > 0) header.push_back(fmt::format("{}b", prefix));
    }
  }
  return header;
}

}  // namespace

std::string linear_weight_column(std::size_t i, std::int64_t linear_features) {
  return linear_features == 1 ? "w" : fmt::format("w{}", i);
}

std::vector<std::string> runs_header(std::int64_t linear_features) {
  return expand_weights(run_columns(), linear_features, {"", "lstsq_"});
}

std::vector<std::string> curves_header(std::int64_t linear_features) {
  return expand_weights(curve_columns(), linear_features, {""});
}

namespace {

// (lstsq_)?(w[0-9]*|b), by hand: asked of every column of every file read, where a regex costs a compile a call.
bool is_weight_column(std::string_view name) {
  if (name.substr(0, 6) == "lstsq_") name.remove_prefix(6);
  if (name == "b") return true;
  return !name.empty() && name[0] == 'w' && name.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

}  // namespace

const Column* find_run_column(const std::string& name) {
  for (const auto& column : run_columns()) {
    if (column.name == name) return &column;
    if (column.name == kWeightsMarker && is_weight_column(name)) return &column;
  }
  return nullptr;
}

Role run_column_role(const std::string& name) {
  const Column* column = find_run_column(name);
  if (column == nullptr) throw std::logic_error(fmt::format("\"{}\" is not a runs.csv column", name));
  if (column->name == kWeightsMarker && name.rfind("lstsq_", 0) == 0) return Role::derived;
  return column->role;
}

const std::vector<Column>& curve_columns() {
  static const std::vector<Column> columns = with_measures({
      {"run_id", "", "the run (see runs.csv)"},
      {"epoch", "epochs", "iteration / iterations_per_epoch: whole at epoch ends, 0 before training"},
      {"iteration", "iterations", "optimizer steps so far"},
      {"train_loss", "", "loss over the whole training set at this point"},
      {"test_loss", "", "loss over the test set at this point (empty when n_test is 0)"},
      {"train_accuracy", "fraction", "classification tasks only"},
      {"test_accuracy", "fraction", "classification tasks only"},
      {"batch_loss", "", "mean mini-batch loss since the previous point (empty at the start)"},
      {"elapsed_s", "s", "training seconds so far (evaluation excluded)"},
      {kWeightsMarker, "", "linear task only: the weight(s) w (or w0, w1, ...) and bias b at this point"},
  }, nullptr, Destination::curves, Role::metric);
  return columns;
}

const std::vector<Column>& weight_columns() {
  static const std::vector<Column> columns = {
      {"run_id", "", "the run (see runs.csv)"},
      {"parameter", "", "LibTorch's parameter name, e.g. 0.weight, 0.bias, 2.weight"},
      {"index", "", "flat row-major index within the parameter"},
      {"value", "", "final value"},
  };
  return columns;
}

const std::vector<Column>& series_columns() {
  static const std::vector<Column> columns = {
      {"run_id", "", "the run (see runs.csv)"},
      {"iteration", "iterations", "optimizer steps taken when the probe measured"},
      {"epoch", "epochs", "iteration / iterations_per_epoch"},
      {"quantity", "", "what was measured (the quantities below)"},
      {"m", "samples", "the batch size the value is for"},
      {"value", "", "the value"},
  };
  return columns;
}

const std::vector<Column>& data_columns() {
  static const std::vector<Column> columns = {
      {"run_id", "", "the run that drew it (every run of its task, generator and seed draws the same data)"},
      {"index", "", "sample number in the training set, from 0"},
      {"x", "", "the input"},
      {"y", "", "the target"},
  };
  return columns;
}

std::vector<std::string> header_of(const std::vector<Column>& columns) {
  std::vector<std::string> header;
  for (const auto& column : columns) header.push_back(column.name);
  return header;
}

std::vector<std::string> order(const Row& row, const std::vector<std::string>& header) {
  std::vector<std::string> fields;
  std::size_t used = 0;
  for (const auto& name : header) {
    auto found = row.find(name);
    fields.push_back(found == row.end() ? std::string() : found->second);
    used += found != row.end();
  }
  if (used != row.size()) {
    for (const auto& item : row) {
      bool known = false;
      for (const auto& name : header) known = known || name == item.first;
      if (!known) throw std::logic_error(fmt::format("row field \"{}\" is not in the header", item.first));
    }
  }
  return fields;
}

}  // namespace bsweep
