#include "plan/shard.h"

#include "util/errors.h"
#include "spec/grid.h"
#include "plan/planner.h"

#include <catch2/catch.hpp>

using namespace bsweep;

namespace {

const nlohmann::json kGrid = {{"name", "t"},
                              {"tasks", {{{"type", "linear"}, {"n_train", 50}}}},
                              {"batch_sizes", {1, 10, "full"}},
                              {"lr", {0.01, 0.02}},
                              {"epochs", 2},
                              {"seeds", {0, 1, 2}}};

}  // namespace

TEST_CASE("a shard is read from K/N with 1 <= K <= N") {
  const auto shard = parse_shard("2/4");
  CHECK(shard.index == 2);
  CHECK(shard.count == 4);
  CHECK(shard.text() == "2/4");
  for (const char* bad : {"0/4", "5/4", "2", "a/b", "2/4/1", "-1/4", "1/0", " 1/2"})
    CHECK_THROWS_WITH(parse_shard(bad), Catch::Contains("--shard") && Catch::Contains("K/N"));
}

TEST_CASE("the shards of a grid cover every run once, at about equal cost, the same every time") {
  auto grid = kGrid;
  grid["max_cohort"] = 1;  // every run a job of its own: the finest grain
  const auto spec = parse_sweep(grid, "t");
  const auto runs = expand(spec);
  std::set<std::string> seen;
  std::vector<double> costs;
  for (std::size_t k = 1; k <= 3; ++k) {
    const auto ids = shard_runs(spec, runs, {k, 3});
    CHECK(ids == shard_runs(spec, runs, {k, 3}));
    double cost = 0;
    for (const auto& run : runs)
      if (ids.count(run.id)) {
        CHECK(seen.insert(run.id).second);  // in no other shard
        cost += expected_cost(run);
      }
    costs.push_back(cost);
  }
  CHECK(seen.size() == runs.size());
  const auto [least, most] = std::minmax_element(costs.begin(), costs.end());
  CHECK(*most / *least < 1.5);
}

TEST_CASE("a cohort's runs stay in one shard, and the flags of a run do not move the slices") {
  const auto spec = parse_sweep(kGrid, "t");
  const auto runs = expand(spec);
  const auto jobs = plan_jobs(runs, {});
  for (std::size_t k = 1; k <= 2; ++k) {
    const auto ids = shard_runs(spec, runs, {k, 2});
    for (const auto& job : jobs)
      for (const auto* run : job.runs) CHECK(ids.count(run->id) == ids.count(job.runs.front()->id));
  }
}

TEST_CASE("more shards than jobs is refused: a shard past them would be empty") {
  auto grid = kGrid;
  grid["stream"] = "shared";  // three streams: three jobs
  const auto spec = parse_sweep(grid, "t");
  const auto runs = expand(spec);
  CHECK_NOTHROW(shard_runs(spec, runs, {3, 3}));
  CHECK_THROWS_WITH(shard_runs(spec, runs, {1, 4}),
                    Catch::Contains("--shard 1/4: this grid makes 3 jobs (a cohort or a shared stream stays in one), "
                                    "so it cuts into at most 3 shards"));
}

TEST_CASE("a shared stream's runs stay in one shard") {
  auto grid = kGrid;
  grid["stream"] = "shared";
  const auto spec = parse_sweep(grid, "t");
  const auto runs = expand(spec);
  for (std::size_t k = 1; k <= 3; ++k) {
    const auto ids = shard_runs(spec, runs, {k, 3});
    // Runs of one stream (same seed, task, lr...) are all in or all out.
    for (const auto& a : runs)
      for (const auto& b : runs)
        if (a.shared_stream && stream_key(a) == stream_key(b)) CHECK(ids.count(a.id) == ids.count(b.id));
  }
}
