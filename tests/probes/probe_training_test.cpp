// Probes inside training: they draw from their own streams and pause the clock, so a run's numbers are the same
// with and without them; the target of "until" stops a run and records when.
#include "train/train.h"

#include "spec/grid.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace bsweep;

namespace {

RunSpec first_run(const nlohmann::json& grid) { return expand(parse_sweep(grid, "t")).at(0); }

nlohmann::json mlp_grid() {
  return nlohmann::json::parse(R"({
    "tasks": [{"type": "mlp", "n_train": 200, "n_test": 50, "hidden": [8]}],
    "batch_sizes": [16], "lr": 0.05, "epochs": 3, "seeds": [4]
  })");
}

}  // namespace

TEST_CASE("a run's training numbers are bit for bit the same with every probe on") {
  auto grid = mlp_grid();
  const auto plain = train_run(first_run(grid));
  grid["probes"] = {{"gradient_noise", {{"batch_sizes", {1, 4, 16}}, {"samples", 4}, {"every_epochs", 1}}},
                    {"noise_scale", {{"small", 2}, {"big", 32}, {"every", 3}}},
                    {"sharpness", {{"iterations", 20}, {"epsilon", 0.01}}}};
  const auto probed = train_run(first_run(grid));
  REQUIRE(plain.status == RunStatus::ok);
  REQUIRE(probed.status == RunStatus::ok);
  REQUIRE(plain.parameters.size() == probed.parameters.size());
  for (std::size_t i = 0; i < plain.parameters.size(); ++i) CHECK(plain.parameters[i].values == probed.parameters[i].values);
  REQUIRE(plain.curve.size() == probed.curve.size());
  for (std::size_t i = 0; i < plain.curve.size(); ++i) {
    CHECK(plain.curve[i].train_loss == probed.curve[i].train_loss);
    CHECK(plain.curve[i].batch_loss == probed.curve[i].batch_loss);
  }
  // Gradient noise at the start and after each of the 3 epochs (the last is the final weights): 4 points x 3 m x
  // 3 quantities.
  CHECK(probed.series.size() == 4 * 3 * 3);
  for (const char* name : {"grad_noise_trace", "grad_noise_slope", "grad_noise_slope_fpc", "b_simple", "sharpness",
                           "sharpness_iterations", "sharpness_converged", "eps_sharpness"})
    CHECK(probed.measures.count(name) == 1);
  CHECK(probed.curve.back().measures.count("b_simple") == 1);
  CHECK(probed.curve.front().measures.count("b_simple") == 0);  // no estimate before the first step
  for (const char* name : {"grad_noise_slope", "b_simple", "sharpness"}) CHECK(plain.measures.count(name) == 0);
  CHECK(plain.measures.count("peak_tensor_bytes") == 1);  // the memory probe measures every run
}

TEST_CASE("until: a run stops at the first curve point that meets the target") {
  auto grid = bsweep::test::small_grid();
  grid["batch_sizes"] = {10};
  grid["lr"] = 0.05;
  grid["epochs"] = 50;
  grid["log_every"] = 1;
  const auto full = train_run(first_run(grid));
  // The target: the training loss the full run reaches at its 37th step.
  const double target = full.curve.at(37).train_loss;
  std::int64_t first = -1;
  for (const auto& point : full.curve)
    if (first < 0 && point.train_loss <= target) first = point.iteration;
  grid["until"] = {{"train_loss", target}};
  const auto stopped = train_run(first_run(grid));
  REQUIRE(stopped.status == RunStatus::ok);
  CHECK(stopped.iterations == first);
  CHECK(stopped.measures.at("target_reached") == 1);
  CHECK(stopped.measures.at("steps_to_target") == static_cast<double>(first));
  CHECK(stopped.measures.at("samples_to_target") == static_cast<double>(first * 10));
  CHECK(stopped.curve.back().train_loss == full.curve.at(static_cast<std::size_t>(first)).train_loss);

  SECTION("a target never met leaves the budget as it was and says so") {
    grid["until"] = {{"train_loss", 1e-9}};
    const auto capped = train_run(first_run(grid));
    CHECK(capped.iterations == full.iterations);
    CHECK(capped.measures.at("target_reached") == 0);
    CHECK(capped.measures.count("steps_to_target") == 0);
  }
}

TEST_CASE("warmup: step t takes lr x (t + 1) / W, then training goes on at the peak") {
  auto grid = bsweep::test::small_grid();
  grid["batch_sizes"] = {10};  // 10 steps an epoch: warmup_epochs 0.3 is W = 3 steps
  grid["lr"] = 0.06;
  grid.erase("epochs");
  grid["steps"] = 1;
  grid["shuffle"] = false;
  grid["warmup_epochs"] = 0.3;
  const auto warm = train_run(first_run(grid));
  // One step at lr / 3 without warmup lands on the same weights.
  grid.erase("warmup_epochs");
  grid["lr"] = 0.06 * 1.0 / 3.0;
  const auto third = train_run(first_run(grid));
  REQUIRE(warm.status == RunStatus::ok);
  CHECK(warm.parameters.at(0).values == third.parameters.at(0).values);
  CHECK(warm.parameters.at(1).values == third.parameters.at(1).values);
}
