#include "train/train_cohort.h"

#include "spec/grid.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace bsweep;

namespace {

// The largest relative difference |a - b| / max(|a|, |b|, 1e-300) over two equally long lists.
double relative_gap(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    const double scale = std::max({std::abs(a[i]), std::abs(b[i]), 1e-300});
    worst = std::max(worst, std::abs(a[i] - b[i]) / scale);
  }
  return worst;
}

// Everything a run's numbers are: final parameters, then every curve point's losses and accuracies.
std::vector<double> numbers_of(const TrainResult& result) {
  std::vector<double> out;
  for (const auto& p : result.parameters) out.insert(out.end(), p.values.begin(), p.values.end());
  for (const auto& point : result.curve)
    out.insert(out.end(), {point.train_loss, point.test_loss, point.train_accuracy, point.test_accuracy,
                           point.batch_loss});
  return out;
}

// The worst gap between each run of the grid trained in one cohort and the same run trained alone.
double worst_cohort_gap(const nlohmann::json& grid) {
  const auto runs = expand(parse_sweep(grid, "t"));
  const auto together = train_cohort(runs, std::vector<TrainOptions>(runs.size()));
  double worst = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto alone = train_run(runs[i]);
    INFO("run " << i << ": lr " << runs[i].lr << ", seed " << runs[i].seed << ": " << together[i].error);
    REQUIRE(together[i].status == alone.status);
    REQUIRE(together[i].iterations == alone.iterations);
    REQUIRE(together[i].curve.size() == alone.curve.size());
    worst = std::max(worst, relative_gap(numbers_of(together[i]), numbers_of(alone)));
  }
  return worst;
}

const nlohmann::json kTasks[] = {
    {{"type", "linear"}, {"n_train", 60}, {"n_test", 20}, {"features", 2}, {"w", {3, -1}}},
    {{"type", "mlp"}, {"data", "teacher"}, {"n_train", 60}, {"n_test", 20}, {"hidden", {8, 8}}},
    {{"type", "mlp"}, {"data", "spirals"}, {"n_train", 60}, {"n_test", 20}, {"hidden", {8}}, {"activation", "relu"}},
};

}  // namespace

TEST_CASE("a cohort trains each run as it would train alone, within 1e-9 in float64") {
  const auto task = GENERATE(range(0, 3));
  const nlohmann::json batch = GENERATE(nlohmann::json(1), nlohmann::json(10), nlohmann::json("full"));
  const nlohmann::json optimizer = GENERATE(nlohmann::json({{"name", "sgd"}, {"momentum", 0.9}}),
                                            nlohmann::json("adam"));
  const nlohmann::json grid = {{"name", "t"},          {"tasks", {kTasks[task]}}, {"batch_sizes", {batch}},
                               {"optimizer", optimizer}, {"lr", {0.01, 0.02}},     {"epochs", 4},
                               {"dtype", "float64"},     {"seeds", {3, 4, 5}}};
  INFO(grid.dump());
  CHECK(worst_cohort_gap(grid) <= 1e-9);
}

TEST_CASE("runs of one cohort may differ in momentum, log points inside epochs, and draw no shuffle") {
  nlohmann::json grid = {{"name", "t"},
                         {"tasks", {kTasks[1]}},
                         {"batch_sizes", {7}},
                         {"optimizer", {{{"name", "sgd"}, {"momentum", 0.0}}, {{"name", "sgd"}, {"momentum", 0.5}}}},
                         {"lr", 0.02},
                         {"epochs", 3},
                         {"log_every", 4},
                         {"dtype", "float64"},
                         {"seeds", {1, 2}}};
  CHECK(worst_cohort_gap(grid) <= 1e-9);
  grid["shuffle"] = false;
  CHECK(worst_cohort_gap(grid) <= 1e-9);
}

// Measured on the differential grids (4 epochs, lr 0.01 and 0.02): float64 within 3.3e-13, float32 within 2.0e-4.
TEST_CASE("float32 cohorts stay within 1e-3 of the runs alone") {
  const nlohmann::json grid = {{"name", "t"},         {"tasks", {kTasks[1]}},     {"batch_sizes", {1, 10}},
                               {"optimizer", "adam"}, {"lr", {0.01, 0.02}},       {"epochs", 4},
                               {"dtype", "float32"},  {"seeds", {3, 4}}};
  // Not a grid of one cohort (two batch sizes): each batch size's runs, as the planner would group them.
  auto runs = expand(parse_sweep(grid, "t"));
  for (const std::int64_t size : {1, 10}) {
    std::vector<RunSpec> cohort;
    std::copy_if(runs.begin(), runs.end(), std::back_inserter(cohort),
                 [&](const RunSpec& run) { return run.batch_size.size == size; });
    const auto together = train_cohort(cohort, std::vector<TrainOptions>(cohort.size()));
    for (std::size_t i = 0; i < cohort.size(); ++i)
      CHECK(relative_gap(numbers_of(together[i]), numbers_of(train_run(cohort[i]))) <= 1e-3);
  }
}

TEST_CASE("a replica that diverges leaves its cohort; its mates finish as they would alone") {
  const nlohmann::json grid = {{"name", "t"},
                               {"tasks", {{{"type", "linear"}, {"n_train", 50}, {"n_test", 10}}}},
                               {"batch_sizes", {5}},
                               {"lr", {0.01, 3.0, 0.02}},
                               {"epochs", 6},
                               {"log_every", 3},
                               {"dtype", "float64"},
                               {"seeds", {0}}};
  const auto runs = expand(parse_sweep(grid, "t"));
  const auto together = train_cohort(runs, std::vector<TrainOptions>(runs.size()));
  REQUIRE(together.size() == 3);
  CHECK(together[1].status == RunStatus::diverged);
  CHECK(together[1].error.find("non-finite or above") != std::string::npos);
  const auto alone = train_run(runs[1]);
  CHECK(alone.status == RunStatus::diverged);
  CHECK(together[1].iterations == alone.iterations);
  CHECK(together[1].iterations < together[0].iterations);
  for (std::size_t i : {0, 2}) {
    CHECK(together[i].status == RunStatus::ok);
    CHECK(relative_gap(numbers_of(together[i]), numbers_of(train_run(runs[i]))) <= 1e-9);
  }
}

TEST_CASE("a cohort's cost columns come from a probe of one run alone") {
  const nlohmann::json grid = {{"name", "t"},  {"tasks", {kTasks[0]}}, {"batch_sizes", {1}},
                               {"lr", 0.01},   {"epochs", 2},           {"seeds", {0, 1, 2, 3}}};
  const auto runs = expand(parse_sweep(grid, "t"));
  const auto together = train_cohort(runs, std::vector<TrainOptions>(runs.size()));
  for (const auto& result : together) {
    CHECK(result.status == RunStatus::ok);
    CHECK(result.alone_step_s > 0);
    CHECK(result.measures.at("peak_tensor_bytes") > 0);
    CHECK(result.train_s > 0);
    CHECK(result.train_s == together.front().train_s);  // the cohort's time, shared evenly
  }
  const auto probe = probe_alone(runs.front());
  CHECK(probe.iterations == 120);  // the budget (2 epochs of 60 steps at batch 1) is less than 200 steps
}

TEST_CASE("a cohort scales each replica's learning rate as the run alone does (lr_scaling)") {
  const nlohmann::json rule = GENERATE(nlohmann::json({{"rule", "linear"}, {"base_batch", 4}}),
                                       nlohmann::json({{"rule", "sqrt"}, {"base_batch", 4}}));
  const nlohmann::json grid = {{"name", "t"},          {"tasks", {kTasks[1]}}, {"batch_sizes", {10}},
                               {"lr", {0.005, 0.01}},   {"lr_scaling", rule},  {"epochs", 3},
                               {"dtype", "float64"},    {"seeds", {1, 2}}};
  INFO(grid.dump());
  CHECK(worst_cohort_gap(grid) <= 1e-9);
  // And the scaling is real: the same grid unscaled ends elsewhere.
  auto unscaled = grid;
  unscaled.erase("lr_scaling");
  const auto scaled_runs = expand(parse_sweep(grid, "t")), plain_runs = expand(parse_sweep(unscaled, "t"));
  CHECK(train_run(scaled_runs[0]).parameters.at(0).values != train_run(plain_runs[0]).parameters.at(0).values);
}
