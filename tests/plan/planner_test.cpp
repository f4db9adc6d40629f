#include "plan/planner.h"

#include "spec/grid.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace bsweep;

namespace {

std::vector<RunSpec> runs_of(const nlohmann::json& grid) { return expand(parse_sweep(grid, "t")); }

// Each job's size, cohorts marked: "c4" a cohort of four, "1" a run alone; sorted, so order does not matter.
std::vector<std::string> shapes(const std::vector<Job>& jobs) {
  std::vector<std::string> out;
  for (const auto& job : jobs) out.push_back((job.cohort ? "c" : "") + std::to_string(job.runs.size()));
  std::sort(out.begin(), out.end());
  return out;
}

const nlohmann::json kGrid = {{"name", "t"},
                              {"tasks", {{{"type", "linear"}, {"n_train", 50}}}},
                              {"batch_sizes", {1, 10}},
                              {"lr", {0.01, 0.02}},
                              {"optimizer", {{{"name", "sgd"}, {"momentum", 0.0}}, {{"name", "sgd"}, {"momentum", 0.9}}}},
                              {"epochs", 1},
                              {"seeds", {0, 1, 2}}};

}  // namespace

TEST_CASE("runs that differ only in seed, lr and momentum form one cohort per batch size") {
  const auto runs = runs_of(kGrid);
  const auto jobs = plan_jobs(runs, {});
  CHECK(shapes(jobs) == std::vector<std::string>{"c12", "c12"});
  for (const auto& job : jobs)
    for (const auto* run : job.runs) CHECK(run->batch_size.label() == job.runs.front()->batch_size.label());
}

TEST_CASE("without batching every run is a job of its own") {
  const auto jobs = plan_jobs(runs_of(kGrid), {}, {false, 64, 0});
  CHECK(jobs.size() == 24);
  CHECK(std::none_of(jobs.begin(), jobs.end(), [](const Job& job) { return job.cohort; }));
}

TEST_CASE("the cohort cap cuts a group in grid order; a remainder of one trains alone") {
  CHECK(shapes(plan_jobs(runs_of(kGrid), {}, {true, 5, 0})) ==
        std::vector<std::string>{"c2", "c2", "c5", "c5", "c5", "c5"});
  CHECK(shapes(plan_jobs(runs_of(kGrid), {}, {true, 11, 0})) == std::vector<std::string>{"1", "1", "c11", "c11"});
}

TEST_CASE("recorded runs are not planned again, and the rest still train together") {
  const auto runs = runs_of(kGrid);
  std::set<std::string> done;
  for (std::size_t i = 0; i < runs.size(); i += 2) done.insert(runs[i].id);
  const auto jobs = plan_jobs(runs, done);
  std::size_t planned = 0;
  for (const auto& job : jobs)
    for (const auto* run : job.runs) {
      CHECK(!done.count(run->id));
      ++planned;
    }
  CHECK(planned == 12);
}

TEST_CASE("shared streams and steps too large to pay never train in a cohort") {
  auto grid = kGrid;
  grid["stream"] = "shared";
  for (const auto& job : plan_jobs(runs_of(grid), {})) CHECK_FALSE(job.cohort);
  const nlohmann::json big = {{"name", "t"},
                              {"tasks", {{{"type", "mlp"}, {"n_train", 1000}, {"hidden", {32, 32}}}}},
                              {"batch_sizes", {32, "full"}},
                              {"lr", 0.01},
                              {"epochs", 1},
                              {"seeds", {0, 1, 2}}};
  CHECK(shapes(plan_jobs(runs_of(big), {})) == std::vector<std::string>{"1", "1", "1", "c3"});
}

TEST_CASE("a memory cap bounds a cohort by its estimated tensors") {
  const nlohmann::json grid = {{"name", "t"},
                               {"tasks", {{{"type", "linear"}, {"n_train", 100000}, {"n_test", 0}}}},
                               {"batch_sizes", {10}},
                               {"lr", 0.01},
                               {"epochs", 1},
                               {"seeds", {0, 1, 2, 3, 4, 5, 6, 7}}};
  const auto runs = runs_of(grid);
  const double one = replica_bytes(runs.front());
  // A quarter of the cap is the cohort's: room for three replicas, not four.
  const auto cap = static_cast<std::int64_t>(4 * 3.5 * one);
  CHECK(shapes(plan_jobs(runs, {}, {true, 64, cap})) == std::vector<std::string>{"c2", "c3", "c3"});
}
