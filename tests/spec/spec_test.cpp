#include "spec/spec.h"
#include "tasks/registry.h"

#include "spec/grid.h"

#include "test_util.h"

#include <catch2/catch.hpp>

using namespace bsweep;
using bsweep::test::parse_error;
using bsweep::test::small_grid;

TEST_CASE("a minimal grid parses with the documented defaults") {
  const auto spec = parse_sweep(small_grid(), "small");
  CHECK(spec.name == "small");
  REQUIRE(spec.tasks.size() == 1);
  CHECK(spec.tasks[0].name == "linear");
  CHECK(spec.tasks[0].params["features"] == 1);
  CHECK(spec.tasks[0].params["noise_std"] == 1.0);
  CHECK(spec.batch_sizes.size() == 3);
  CHECK(spec.batch_sizes[2].is_full());
  CHECK(spec.dtypes == std::vector<std::string>{"float32"});
  CHECK(spec.devices == std::vector<std::string>{"cpu"});
  CHECK(spec.shuffles == std::vector<bool>{true});
  CHECK(spec.drop_lasts == std::vector<bool>{false});
  CHECK(spec.optimizers[0].name == "sgd");
  CHECK(spec.budgets[0].kind == Budget::Kind::epochs);
}

TEST_CASE("every axis accepts a scalar or a list") {
  auto grid = small_grid();
  grid["lr"] = {0.1, 0.01};
  grid["dtype"] = {"float32", "float64"};
  grid["optimizer"] = {"sgd", nlohmann::json{{"name", "sgd"}, {"momentum", 0.9}}, "adam"};
  grid["shuffle"] = {true, false};
  grid["steps"] = 7;
  grid.erase("epochs");
  const auto spec = parse_sweep(grid, "g");
  CHECK(spec.lrs.size() == 2);
  CHECK(spec.dtypes.size() == 2);
  CHECK(spec.optimizers.size() == 3);
  CHECK(spec.optimizers[1].number("momentum") == 0.9);
  CHECK(spec.budgets[0].kind == Budget::Kind::steps);
  CHECK(spec.budgets[0].value == 7);
}

TEST_CASE("bad grids are errors that name the JSON path and what was expected") {
  auto grid = small_grid();
  std::string expected;
  SECTION("a typo in a key") {
    grid["epoch"] = 5;
    expected = "epoch: unknown key (expected one of: name, description, tasks, batch_sizes, lr, optimizer, epochs, "
               "steps, seeds, dtype, device, shuffle, drop_last, log_every, generator, stream, expected, timeout, "
               "max_memory, max_cohort, lr_scaling, warmup_epochs, until, probes)";
  }
  SECTION("a negative batch size") {
    grid["batch_sizes"] = {1, 10, 32, -5};
    expected = "batch_sizes[3]: expected a positive integer or \"full\", got -5";
  }
  SECTION("a batch size of zero") {
    grid["batch_sizes"] = {0};
    expected = "batch_sizes[0]: expected a positive integer or \"full\", got 0";
  }
  SECTION("a batch size that is a word other than full") {
    grid["batch_sizes"] = {"all"};
    expected = "batch_sizes[0]: expected a positive integer or \"full\", got \"all\"";
  }
  SECTION("an empty list") {
    grid["batch_sizes"] = nlohmann::json::array();
    expected = "batch_sizes: expected a non-empty list, got []";
  }
  SECTION("a learning rate that is not a number") {
    grid["lr"] = "fast";
    expected = "lr: expected a positive number, got \"fast\"";
  }
  SECTION("a learning rate in a list that is not a number") {
    grid["lr"] = {0.1, "0.01"};
    expected = "lr[1]: expected a positive number, got \"0.01\"";
  }
  SECTION("a device that does not exist") {
    grid["device"] = "gpu";
    expected = "device: expected \"cpu\" or \"cuda\" or \"auto\", got \"gpu\"";
  }
  SECTION("a budget of zero") {
    grid["epochs"] = 0;
    expected = "epochs: expected a positive integer, got 0";
  }
  SECTION("two budgets") {
    grid["steps"] = 10;
    expected = "epochs, steps: give exactly one budget, \"epochs\" or \"steps\"";
  }
  SECTION("no budget") {
    grid.erase("epochs");
    expected = "epochs, steps: give exactly one budget, \"epochs\" or \"steps\"";
  }
  SECTION("a missing axis") {
    grid.erase("seeds");
    expected = "seeds: missing (a grid needs tasks, batch_sizes, lr, seeds and epochs or steps)";
  }
  SECTION("a negative seed") {
    grid["seeds"] = {1, -2};
    expected = "seeds[1]: expected a non-negative integer, got -2";
  }
  SECTION("a wrong type for a flag") {
    grid["shuffle"] = "yes";
    expected = "shuffle: expected true or false, got \"yes\"";
  }
  SECTION("an unknown dtype") {
    grid["dtype"] = "float16";
    expected = "dtype: expected \"float32\" or \"float64\", got \"float16\"";
  }
  SECTION("an unknown task type") {
    grid["tasks"][0]["type"] = "cnn";
    std::string kinds;  // every registered kind, in registry order
    for (const auto& type : task_types()) kinds += (kinds.empty() ? "\"" : " or \"") + type + "\"";
    CHECK(kinds.rfind("\"linear\" or \"mlp\"", 0) == 0);
    expected = "tasks[0].type: expected " + kinds + ", got \"cnn\"";
  }
  SECTION("an unknown task parameter") {
    grid["tasks"][0]["n_trian"] = 10;
    expected = "tasks[0].n_trian: unknown key (expected one of: n_train, n_test, features, w, b, noise_std, x_range, "
               "init)";
  }
  SECTION("a task parameter of the wrong type") {
    grid["tasks"][0]["n_train"] = 1.5;
    expected = "tasks[0].n_train: expected a positive integer, got 1.5";
  }
  SECTION("a task parameter of another mlp variant") {
    grid["tasks"][0] = {{"type", "mlp"}, {"data", "spirals"}, {"teacher_hidden", 8}};
    expected = "tasks[0].teacher_hidden: unknown key (expected one of: data, n_train, n_test, hidden, activation, "
               "noise_std, turns)";
  }
  SECTION("two tasks with one name") {
    grid["tasks"].push_back(grid["tasks"][0]);
    expected = "tasks[1]: duplicate task name \"linear\" (give each task a distinct \"name\")";
  }
  SECTION("momentum of one") {
    grid["optimizer"] = {{"name", "sgd"}, {"momentum", 1.0}};
    expected = "optimizer.momentum: expected a number in [0, 1), got 1.0";
  }
  SECTION("an unknown generator") {
    grid["generator"] = "mt";
    expected = "generator: expected \"torch\" or \"numpy\", got \"mt\"";
  }
  SECTION("a seed too large for NumPy") {
    grid["generator"] = "numpy";
    grid["seeds"] = {1, 4294967296};
    expected = "seeds[1]: the numpy generator takes seeds up to 4294967295, got 4294967296";
  }
  SECTION("an unknown stream mode") {
    grid["stream"] = "global";
    expected = "stream: expected \"per_run\" or \"shared\", got \"global\"";
  }
  SECTION("expected values for a task the grid does not have") {
    grid["expected"] = {{"source", "notes"}, {"task", "mlp"}, {"values", {{{"batch_size", 1}, {"w", 2.7}}}}};
    expected = "expected.task: expected the name of one of the grid's tasks, got \"mlp\"";
  }
  SECTION("an expected value that is not a number") {
    grid["expected"] = {{"source", "notes"}, {"task", "linear"}, {"values", {{{"batch_size", 1}, {"w", "2.7"}}}}};
    expected = "expected.values[0].w: expected a finite number, got \"2.7\"";
  }
  SECTION("a grid that is not an object") {
    grid = nlohmann::json::array();
    expected = "(top level): expected an object, got []";
  }
  CHECK(parse_error(grid) == expected);
}

TEST_CASE("a run travels to its worker as its configuration and arrives as the same run") {
  setenv("BSWEEP_ENABLE_FAULT_TASK", "1", 1);  // tests/data/faults.json uses the fault task
  const std::string grids[] = {"experiments/default.json", "experiments/notes_wb_table.json", "experiments/quick.json",
                               "experiments/bench.json", "tests/data/differential.json",
                               "tests/data/differential_shared.json", "tests/data/faults.json"};
  for (const auto& grid : grids) {
    INFO(grid);
    for (const auto& run : expand(load_sweep(std::string(BSWEEP_SOURCE_DIR) + "/" + grid))) {
      const auto back = run_from_config(nlohmann::json::parse(run.config().dump()), run.index, "runs[0].config");
      CHECK(back.id == run.id);
      CHECK(back.index == run.index);
      CHECK(back.config() == run.config());
    }
  }
}

TEST_CASE("names become file names, so only safe ones are taken") {
  auto grid = small_grid();
  for (const char* bad : {"../../ESCAPED", "a/../b", ".hidden", "-flag", "with space", ""}) {
    grid["tasks"][0]["name"] = bad;
    CHECK_THAT(parse_error(grid), Catch::StartsWith("tasks[0].name: expected a name of letters, digits"));
  }
  grid["tasks"][0]["name"] = "linear_2-features.v1";
  CHECK(parse_error(grid).empty());
  grid["name"] = "../up";
  CHECK_THAT(parse_error(grid), Catch::StartsWith("name: expected a name"));
}
