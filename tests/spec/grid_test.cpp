#include "spec/grid.h"

#include "results/csv.h"

#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

using namespace bsweep;
using bsweep::test::small_grid;

TEST_CASE("expansion is the cartesian product with the seed varying fastest") {
  auto grid = small_grid();
  grid["lr"] = {0.1, 0.01};
  grid["seeds"] = {0, 1};
  const auto runs = expand(parse_sweep(grid, "g"));
  REQUIRE(runs.size() == 2 * 3 * 2);  // lr x batch size x seed
  // lr is outside batch size, batch size outside seed.
  CHECK(runs[0].lr == 0.1);
  CHECK(runs[0].batch_size.label() == "1");
  CHECK(runs[0].seed == 0);
  CHECK(runs[1].seed == 1);
  CHECK(runs[2].batch_size.label() == "10");
  CHECK(runs[6].lr == 0.01);
  for (std::size_t i = 0; i < runs.size(); ++i) CHECK(runs[i].index == i);
}

TEST_CASE("run ids are distinct within a grid and the same for the same configuration") {
  auto grid = small_grid();
  grid["seeds"] = {0, 1, 2};
  const auto runs = expand(parse_sweep(grid, "g"));
  std::set<std::string> ids;
  for (const auto& run : runs) ids.insert(run.id);
  CHECK(ids.size() == runs.size());
  CHECK(runs[0].id.size() == 12);

  SECTION("spelling out a default does not change the id") {
    auto explicit_grid = grid;
    explicit_grid["tasks"][0]["noise_std"] = 1.0;
    explicit_grid["dtype"] = "float32";
    explicit_grid["name"] = "another-name";
    CHECK(expand(parse_sweep(explicit_grid, "h"))[0].id == runs[0].id);
  }
  SECTION("changing anything that matters changes the id") {
    auto other = grid;
    other["tasks"][0]["noise_std"] = 0.5;
    CHECK(expand(parse_sweep(other, "g"))[0].id != runs[0].id);
  }
}

TEST_CASE("a batch size larger than the training set is warned about once") {
  auto grid = small_grid();
  grid["batch_sizes"] = {64, 128, 128};
  grid["seeds"] = {0, 1};
  const auto warnings = batch_size_warnings(expand(parse_sweep(grid, "g")));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "warning: batch size 128 exceeds the 100 training samples of task \"linear\": it trains as full batch (100)");
}

TEST_CASE("with a shared stream each run's id covers the runs before it in its stream") {
  auto grid = small_grid();
  grid["stream"] = "shared";
  grid["seeds"] = {0, 1};
  const auto runs = expand(parse_sweep(grid, "g"));
  REQUIRE(runs.size() == 6);
  // Seeds vary fastest: runs 0, 2, 4 are seed 0's stream; 1, 3, 5 seed 1's.
  CHECK(runs[0].stream_previous.empty());
  CHECK(runs[2].stream_previous == runs[0].id);
  CHECK(runs[4].stream_previous == runs[2].id);
  CHECK(runs[3].stream_previous == runs[1].id);
  CHECK(stream_key(runs[0]) == stream_key(runs[4]));
  CHECK(stream_key(runs[0]) != stream_key(runs[1]));

  SECTION("dropping an earlier batch size changes the later runs' ids") {
    auto shorter = grid;
    shorter["batch_sizes"] = {10, "full"};
    const auto fewer = expand(parse_sweep(shorter, "g"));
    CHECK(fewer[0].batch_size.label() == "10");
    CHECK(fewer[0].id != runs[2].id);
  }
  SECTION("a per-run stream does not") {
    auto per_run = grid;
    per_run["stream"] = "per_run";
    auto shorter = per_run;
    shorter["batch_sizes"] = {10, "full"};
    CHECK(expand(parse_sweep(shorter, "g"))[0].id == expand(parse_sweep(per_run, "g"))[2].id);
  }
}

TEST_CASE("run ids of a grid without the newer keys are those its committed baseline recorded") {
  // Three ids of the quick sweep as bsweep recorded them before lr_scaling, warmup_epochs, until and probes could
  // enter a configuration; and the committed baseline's, all of them.
  const auto runs = expand(load_sweep(std::string(BSWEEP_SOURCE_DIR) + "/experiments/quick.json"));
  const auto table = read_csv(std::string(BSWEEP_SOURCE_DIR) + "/results/reference/quick/runs.csv");
  std::set<std::string> recorded, expanded;
  for (const auto& row : table.rows) recorded.insert(row.at(0));
  for (const auto& run : runs) expanded.insert(run.id);
  CHECK(recorded == expanded);
  CHECK(expanded.size() == runs.size());
  for (const char* id : {"f3095f909c24", "0dbb1063e97d", "03832f897e1b"}) CHECK(expanded.count(id) == 1);
}

TEST_CASE("a run id is the FNV-1a hash of the whole configuration's dump, seeds and streams included") {
  auto grid = small_grid();
  grid["seeds"] = {0, 7, 4294967295ull};
  grid["stream"] = "shared";
  grid["probes"] = {{"noise_scale", {{"small", 4}, {"big", 8}, {"every", 10}, {"ema", 0.95}}}};
  for (const auto& run : expand(parse_sweep(grid, "g"))) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : run.config().dump()) hash = (hash ^ c) * 1099511628211ull;
    CHECK(run_id(run) == fmt::format("{:016x}", hash).substr(0, 12));
    CHECK(RunIdHasher(run).id(run.seed, run.shared_stream, run.stream_previous) == run_id(run));
  }
}
