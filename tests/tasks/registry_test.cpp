#include "tasks/registry.h"

#include "util/errors.h"
#include "spec/spec.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

using namespace bsweep;

TEST_CASE("grids may use the registered kinds; the fault task only under its flag") {
  const auto has = [](const std::vector<std::string>& types, const char* type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  ::unsetenv("BSWEEP_ENABLE_FAULT_TASK");
  const auto usual = task_types();
  CHECK((usual.size() >= 2 && usual[0] == "linear" && usual[1] == "mlp"));
  CHECK_FALSE(has(usual, "fault"));
  ::setenv("BSWEEP_ENABLE_FAULT_TASK", "1", 1);
  const auto testing = task_types();
  CHECK(testing.size() == usual.size() + 1);
  CHECK(testing.back() == "fault");  // the test-only kind comes last
  ::unsetenv("BSWEEP_ENABLE_FAULT_TASK");
  CHECK(bsweep::test::parse_error({{"tasks", {{{"type", "fault"}, {"mode", "exit"}}}},
                                   {"batch_sizes", {1}}, {"lr", 0.1}, {"epochs", 1}, {"seeds", {0}}})
            .find("tasks[0].type: expected") == 0);
}

TEST_CASE("each kind answers about itself, without LibTorch") {
  for (const auto& type : task_types()) CHECK(task_kind(type).type() == type);
  const TaskSpec spirals{"s", "mlp", task_kind("mlp").resolve({{"data", "spirals"}, {"hidden", {8, 4}}}, "t")};
  CHECK(spirals.is_classifier());
  CHECK(spirals.linear_features() == 0);
  CHECK_FALSE(spirals.data_in_plane());
  CHECK(spirals.sample_cost() == 13);  // 8 + 4 hidden units and the output
  CHECK(spirals.train_size() == 1000);
  CHECK_THROWS_AS(task_kind("cubic"), std::logic_error);
}
