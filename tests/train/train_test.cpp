#include "train/train.h"

#include "spec/grid.h"
#include "random/random_source.h"
#include "tasks/registry.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace bsweep;
using bsweep::test::small_grid;

namespace {

RunSpec first_run(const nlohmann::json& grid) { return expand(parse_sweep(grid, "t")).at(0); }

double parameter(const TrainResult& result, const std::string& name) {
  for (const auto& p : result.parameters)
    if (p.name == name) return p.values.at(0);
  FAIL("no parameter " << name);
  return 0;
}

}  // namespace

TEST_CASE("training takes the planned steps and sees every sample once per epoch") {
  auto grid = small_grid();
  grid["batch_sizes"] = {32};
  grid["epochs"] = 3;
  const auto result = train_run(first_run(grid));
  REQUIRE(result.status == RunStatus::ok);
  CHECK(result.iterations == 12);
  CHECK(result.samples == 300);
  REQUIRE(result.curve.size() == 4);  // before training, then each epoch
  CHECK(result.curve[0].iteration == 0);
  CHECK(result.curve[3].epoch == 3.0);
  CHECK(result.curve[0].batch_loss < 0);
  CHECK(result.curve[1].batch_loss > 0);

  SECTION("drop_last skips the partial batch") {
    grid["drop_last"] = true;
    const auto dropped = train_run(first_run(grid));
    CHECK(dropped.iterations == 9);
    CHECK(dropped.samples == 288);
  }
  SECTION("log_every adds points inside epochs") {
    grid["log_every"] = 2;
    const auto logged = train_run(first_run(grid));
    // Points at iterations 0, 2, 4(epoch end), 6, 8(epoch end), 10, 12(epoch end): no duplicates at epoch ends.
    std::vector<std::int64_t> iterations;
    for (const auto& point : logged.curve) iterations.push_back(point.iteration);
    CHECK(iterations == std::vector<std::int64_t>{0, 2, 4, 6, 8, 10, 12});
  }
  SECTION("a step budget can end mid-epoch") {
    grid.erase("epochs");
    grid["steps"] = 6;
    const auto stepped = train_run(first_run(grid));
    CHECK(stepped.iterations == 6);
    CHECK(stepped.curve.back().iteration == 6);
    CHECK(stepped.curve.back().epoch == 1.5);
  }
}

TEST_CASE("on the CPU the same run gives the same numbers bit for bit") {
  auto grid = small_grid();
  grid["batch_sizes"] = {10};
  grid["optimizer"] = "adam";
  grid["tasks"] = {{{"type", "mlp"}, {"n_train", 200}, {"n_test", 50}, {"hidden", {8}}}};
  const auto run = first_run(grid);
  const auto a = train_run(run), b = train_run(run);
  REQUIRE(a.status == RunStatus::ok);
  REQUIRE(a.parameters.size() == b.parameters.size());
  for (std::size_t i = 0; i < a.parameters.size(); ++i) CHECK(a.parameters[i].values == b.parameters[i].values);
  for (std::size_t i = 0; i < a.curve.size(); ++i) CHECK(a.curve[i].train_loss == b.curve[i].train_loss);
}

TEST_CASE("different seeds give different data and weights") {
  auto grid = small_grid();
  grid["seeds"] = {0, 1};
  const auto runs = expand(parse_sweep(grid, "t"));
  CHECK(parameter(train_run(runs[0]), "0.weight") != parameter(train_run(runs[1]), "0.weight"));
}

TEST_CASE("linear regression by gradient descent ends near the least-squares solution") {
  auto grid = small_grid();
  grid["tasks"][0]["n_train"] = 200;
  grid["batch_sizes"] = {"full"};
  grid["dtype"] = "float64";
  grid["lr"] = 0.3;  // below 2 / (largest eigenvalue of the loss's Hessian), about 0.46 for x in [0, 2)
  grid["epochs"] = 2000;
  const auto run = first_run(grid);
  const auto result = train_run(run);
  REQUIRE(result.status == RunStatus::ok);

  // Least squares on the same data: the run's stream draws the data first.
  auto rng = make_torch_random(run.seed);
  const auto data = make_task(run.task)->make_data(*rng);
  const auto design = torch::cat({data.x_train, torch::ones_like(data.x_train)}, 1);
  const auto solution = std::get<0>(torch::linalg_lstsq(design, data.y_train));
  CHECK(parameter(result, "0.weight") == Approx(solution[0][0].item<double>()).margin(1e-6));
  CHECK(parameter(result, "0.bias") == Approx(solution[1][0].item<double>()).margin(1e-6));
  // And near the truth the data was drawn from (w = 3, b = 4), within what 200 noisy samples allow.
  CHECK(parameter(result, "0.weight") == Approx(3.0).margin(0.4));
  CHECK(parameter(result, "0.bias") == Approx(4.0).margin(0.4));
}

TEST_CASE("a learning rate far too large is recorded as diverged with its curve so far") {
  auto grid = small_grid();
  grid["batch_sizes"] = {"full"};
  grid["epochs"] = 500;
  SECTION("the loss overflows") { grid["lr"] = 1e6; }
  SECTION("the loss stays finite but explodes (lr just above the stability limit)") { grid["lr"] = 0.5; }
  const auto result = train_run(first_run(grid));
  CHECK(result.status == RunStatus::diverged);
  CHECK_THAT(result.error, Catch::Contains("times its start"));
  CHECK(result.iterations < 500);
  REQUIRE(result.curve.size() >= 2);
  CHECK(result.curve.back().iteration == result.iterations);
}

TEST_CASE("classification reports accuracy and learns the spirals better than chance") {
  auto grid = small_grid();
  grid["tasks"] = {{{"type", "mlp"}, {"data", "spirals"}, {"n_train", 400}, {"n_test", 400}}};
  grid["batch_sizes"] = {16};
  grid["optimizer"] = "adam";
  grid["lr"] = 0.01;
  grid["epochs"] = 60;
  const auto result = train_run(first_run(grid));
  REQUIRE(result.status == RunStatus::ok);
  CHECK(result.curve.front().test_accuracy >= 0);
  CHECK(result.curve.back().test_accuracy > 0.8);
}

TEST_CASE("runs that share a stream continue it: the second run's start depends on what the first drew") {
  auto grid = small_grid();
  grid["generator"] = "numpy";
  grid["stream"] = "shared";
  grid["batch_sizes"] = {1, 10};
  grid["epochs"] = 2;
  const auto runs = expand(parse_sweep(grid, "t"));
  auto stream = open_stream(runs[0]);
  const auto first = train_run(runs[0], stream);
  const auto second = train_run(runs[1], stream);
  REQUIRE(second.status == RunStatus::ok);
  // On a fresh stream the same run starts elsewhere and ends elsewhere.
  const auto alone = train_run(runs[1]);
  CHECK(alone.curve.front().train_loss != second.curve.front().train_loss);
  CHECK(parameter(alone, "0.weight") != parameter(second, "0.weight"));
  // Replaying the stream from its start gives the same second run, bit for bit.
  auto replay = open_stream(runs[0]);
  train_run(runs[0], replay);
  CHECK(parameter(train_run(runs[1], replay), "0.weight") == parameter(second, "0.weight"));
  (void)first;
}

TEST_CASE("a task without a test split trains and reports no test loss") {
  auto grid = small_grid();
  grid["tasks"][0]["n_test"] = 0;
  const auto result = train_run(first_run(grid));
  REQUIRE(result.status == RunStatus::ok);
  CHECK(std::isnan(result.curve.back().test_loss));
}

TEST_CASE("the linear task reports the least-squares solution of its training data") {
  auto grid = small_grid();
  grid["tasks"][0]["noise_std"] = 0.0;
  const auto result = train_run(first_run(grid));
  REQUIRE(result.least_squares.size() == 2);
  CHECK(result.least_squares[0] == Approx(3.0).margin(1e-9));  // noiseless: the true w and b
  CHECK(result.least_squares[1] == Approx(4.0).margin(1e-9));
}

TEST_CASE("a thrown failure becomes oom when memory ran out, error otherwise") {
  CHECK(failed_result(std::bad_alloc()).status == RunStatus::oom);
  CHECK(failed_result(std::runtime_error("DefaultCPUAllocator: can't allocate memory: you tried")).status == RunStatus::oom);
  const auto other = failed_result(std::runtime_error("device \"cuda\" requested but no CUDA GPU is visible"));
  CHECK(other.status == RunStatus::error);
  CHECK(other.error == "device \"cuda\" requested but no CUDA GPU is visible");
}
