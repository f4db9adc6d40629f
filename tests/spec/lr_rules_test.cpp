#include "spec/lr_rules.h"

#include "spec/grid.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace bsweep;
using bsweep::test::parse_error;
using bsweep::test::small_grid;

TEST_CASE("lr_scaling multiplies lr by B / base or its square root; warmup climbs to it") {
  auto grid = small_grid();
  grid["batch_sizes"] = {10, 40};
  grid["lr"] = 0.1;
  grid["lr_scaling"] = {"none", {{"rule", "linear"}, {"base_batch", 10}}, {{"rule", "sqrt"}, {"base_batch", 10}}};
  const auto runs = expand(parse_sweep(grid, "t"));
  REQUIRE(runs.size() == 6);  // lr_scaling is an axis, right after lr
  CHECK(scaled_lr(runs[0], 10) == 0.1);
  CHECK(scaled_lr(runs[1], 40) == 0.1);
  CHECK(scaled_lr(runs[3], 40) == 0.1 * 40 / 10);
  CHECK(scaled_lr(runs[5], 40) == 0.1 * std::sqrt(4.0));
  CHECK(runs[5].lr_scaling.rule == "sqrt");

  CHECK(lr_at_step(0.3, 3, 0) == 0.3 * 1 / 3);
  CHECK(lr_at_step(0.3, 3, 2) == 0.3);
  CHECK(lr_at_step(0.3, 3, 7) == 0.3);
  CHECK(lr_at_step(0.3, 0, 0) == 0.3);
  RunSpec run = runs[0];
  run.warmup_epochs = 0.25;
  CHECK(warmup_steps(run, BatchPlan{100, 10, 10}) == 3);  // 2.5 rounds up
  run.warmup_epochs = 0.01;
  CHECK(warmup_steps(run, BatchPlan{100, 10, 10}) == 1);
  run.warmup_epochs = 0;
  CHECK(warmup_steps(run, BatchPlan{100, 10, 10}) == 0);
}

TEST_CASE("grids without the new keys keep their run ids; with them the ids change") {
  const auto before = expand(parse_sweep(small_grid(), "t"));
  auto grid = small_grid();
  grid["lr_scaling"] = "none";
  grid["warmup_epochs"] = 0;
  grid["probes"] = nlohmann::json::object();
  const auto same = expand(parse_sweep(grid, "t"));
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(before[i].id == same[i].id);
  for (const auto& key : {"warmup_epochs", "until", "probes"}) {
    auto changed = small_grid();
    if (std::string(key) == "warmup_epochs") changed[key] = 1;
    if (std::string(key) == "until") changed[key] = {{"train_loss", 0.5}};
    if (std::string(key) == "probes") changed[key] = {{"sharpness", true}};
    CHECK(expand(parse_sweep(changed, "t"))[0].id != before[0].id);
  }
}

TEST_CASE("bad lr rules, targets and probes name their JSON path") {
  auto with = [](const char* key, const nlohmann::json& value) {
    auto grid = small_grid();
    grid[key] = value;
    return parse_error(grid);
  };
  CHECK(with("lr_scaling", {{"rule", "linear"}}).find("lr_scaling.base_batch: missing") != std::string::npos);
  CHECK(with("lr_scaling", {{"rule", "cubic"}, {"base_batch", 2}}).find("lr_scaling.rule") == 0);
  CHECK(with("lr_scaling", {"none", {{"rule", "sqrt"}, {"base_batch", -1}}}).find("lr_scaling[1].base_batch") == 0);
  CHECK(with("warmup_epochs", -1).find("warmup_epochs") == 0);
  CHECK(with("warmup_epochs", 1e300).find("warmup_epochs") == 0);
  CHECK(with("probes", {{"gradient_noise", {{"samples", 1}}}}).find("probes.gradient_noise.samples") == 0);
  CHECK(with("until", {{"train_loss", 0.1}, {"test_loss", 0.2}}).find("until") == 0);
  CHECK(with("until", {{"val_loss", 0.1}}).find("until") == 0);
  CHECK(with("until", {{"train_accuracy", 0.9}}).find("does not classify") != std::string::npos);
  CHECK(with("probes", {{"sharpness", {{"tolerance", 0}}}}).find("probes.sharpness.tolerance") == 0);
  CHECK(with("probes", {{"noise_scale", {{"small", 64}, {"big", 8}}}}).find("probes.noise_scale") == 0);
  CHECK(with("probes", {{"gradient_noise", {{"batch_sizes", {4}}}}}).find("probes.gradient_noise.batch_sizes") == 0);
  CHECK(with("probes", {{"hessian", true}}).find("probes") == 0);
  CHECK(with("probes", {{"noise_scale", {{"ema", 1}}}}).find("probes.noise_scale.ema") == 0);
}

TEST_CASE("probes resolve with their defaults, so two spellings give one run id") {
  auto a = small_grid(), b = small_grid();
  a["probes"] = {{"sharpness", true}};
  b["probes"] = {{"sharpness", {{"iterations", 100}, {"tolerance", 1e-4}}}};
  CHECK(expand(parse_sweep(a, "t"))[0].id == expand(parse_sweep(b, "t"))[0].id);
}
