// runs.csv files for the tests of the readers of results: every column of the real schema, with plausible
// defaults, and the fields a test cares about overridden.
#pragma once

#include "results/csv.h"
#include "results/row_digest.h"
#include "results/runs_check.h"
#include "results/schema.h"

#include <fstream>
#include <string>
#include <vector>

namespace bsweep::test {

inline Row fake_run(const Row& overrides) {
  Row row = {
      {"run_id", "0123456789ab"}, {"index", "0"}, {"task", "linear"}, {"task_type", "linear"},
      {"task_params", R"({"b":4.0,"features":1,"init":"normal","n_test":50,"n_train":100,"noise_std":1.0,"w":[3.0],"x_range":[0.0,2.0]})"},  // commas and quotes: a quoted field
      {"n_train", "100"}, {"n_test", "50"}, {"batch_size", "10"}, {"batch_size_effective", "10"}, {"lr", "0.01"},
      {"lr_scaling", "none"}, {"warmup_epochs", "0"}, {"lr_used", "0.01"}, {"until", ""}, {"probes", ""},
      {"optimizer", "sgd"}, {"momentum", "0"}, {"epochs", "5"}, {"steps", ""}, {"seed", "0"}, {"dtype", "float32"},
      {"device", "cpu"}, {"device_used", "cpu"}, {"shuffle", "true"}, {"drop_last", "false"}, {"log_every", "0"},
      {"generator", "torch"}, {"stream", "per_run"}, {"stream_previous", ""}, {"iterations_per_epoch", "10"},
      {"iterations", "50"}, {"final_train_loss", "1.0"}, {"final_test_loss", "1.1"}, {"final_train_accuracy", ""},
      {"final_test_accuracy", ""}, {"w", "2.0"}, {"b", "3.0"}, {"lstsq_w", "2.1"}, {"lstsq_b", "3.1"},
      {"wall_s", "0.5"}, {"train_s", "0.4"}, {"epoch_s", "0.08"}, {"step_s", "0.008"}, {"samples_per_s", "1250"},
      {"peak_tensor_bytes", "10000"}, {"step_peak_tensor_bytes", "1000"}, {"peak_rss_bytes", "100000000"},
      {"process_peak_rss_bytes", "200000000"}, {"cohort", ""}, {"cohort_size", "1"}, {"status", "ok"}, {"error", ""},
  };
  for (const auto& [name, value] : overrides) row[name] = value;
  return row;
}

// The settings of a spirals (mlp) run, as overrides of fake_run.
inline Row spirals_run(Row overrides) {
  Row row = {{"task", "spirals"}, {"task_type", "mlp"}, {"n_train", "64"}, {"n_test", "1000"},
             {"task_params", R"({"activation":"tanh","data":"teacher","features":2,"hidden":[32,32],"n_test":1000,)"
                             R"("n_train":64,"noise_std":0.1,"teacher_hidden":16,"x_range":[-2.0,2.0]})"}};
  for (const auto& [name, value] : overrides) row[name] = value;
  return fake_run(row);
}

// Writes `rows` as a runs.csv, each with the run id its settings stand for (as `bsweep run` would write it), and
// returns those ids in row order: readers recompute every row's id and refuse a row whose id does not match.
// linear_features 0 writes the header of a sweep without linear tasks (no weight columns).
inline std::vector<std::string> write_runs(const std::string& path, const std::vector<Row>& rows,
                                           std::int64_t linear_features = 1) {
  const auto header = runs_header(linear_features);
  CsvTable table{header, {}, {}};
  for (const auto& row : rows) {
    Row known;
    for (const auto& name : header) known[name] = row.count(name) ? row.at(name) : "";
    table.rows.push_back(order(known, header));
    table.row_lines.push_back(table.rows.size() + 1);
  }
  const auto id_at = *find_column(table, "run_id");
  std::vector<std::string> ids;
  std::ofstream out(path, std::ios::binary);
  out << csv_line(header);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    ids.push_back(run_id_of_row(table, path, r));
    table.rows[r][id_at] = ids.back();
    if (const auto digest_at = find_column(table, "row_digest"))
      table.rows[r][*digest_at] = row_digest(table.rows[r], *digest_at);
    out << csv_line(table.rows[r]);
  }
  return ids;
}

}  // namespace bsweep::test
