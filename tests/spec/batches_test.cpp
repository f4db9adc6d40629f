#include "spec/batches.h"

#include "spec/grid.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("iterations per epoch follow the notes' arithmetic") {
  SECTION("10,000 samples in batches of 500 for 3 epochs: 20 per epoch, 60 in all") {
    const auto plan = plan_batches(10000, BatchSize{500}, false);
    CHECK(plan.iterations_per_epoch == 20);
    CHECK(total_iterations(plan, Budget{Budget::Kind::epochs, 3}) == 60);
  }
  SECTION("2,000 samples in batches of 10: 200 per epoch") {
    CHECK(plan_batches(2000, BatchSize{10}, false).iterations_per_epoch == 200);
  }
  SECTION("100 samples in batches of 32: 4 with the partial batch, 3 with drop_last") {
    CHECK(plan_batches(100, BatchSize{32}, false).iterations_per_epoch == 4);
    CHECK(plan_batches(100, BatchSize{32}, true).iterations_per_epoch == 3);
  }
  SECTION("full batch and oversized batches take one step per epoch") {
    CHECK(plan_batches(100, BatchSize{}, false).batch_size == 100);
    CHECK(plan_batches(100, BatchSize{128}, true).iterations_per_epoch == 1);
  }
  SECTION("a step budget is a step count") {
    CHECK(total_iterations(plan_batches(100, BatchSize{10}, false), Budget{Budget::Kind::steps, 25}) == 25);
  }
}

TEST_CASE("a run's plan comes from its task's training set size") {
  auto grid = bsweep::test::small_grid();
  grid["tasks"][0]["n_train"] = 70;
  grid["batch_sizes"] = {32};
  grid["drop_last"] = true;
  const auto plan = plan_batches(expand(parse_sweep(grid, "t")).at(0));
  CHECK(plan.n_train == 70);
  CHECK(plan.iterations_per_epoch == 2);
}
