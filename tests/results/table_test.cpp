#include "results/table.h"

#include "util/json_path.h"
#include "results/csv.h"
#include "results/schema.h"
#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>

using namespace bsweep;

namespace {

// A runs.csv of linear runs given as {task, batch, effective, seed, w, b, status}.
void write_runs(const std::string& dir, const std::vector<std::vector<std::string>>& rows) {
  std::vector<Row> runs;
  for (const auto& r : rows)
    runs.push_back(bsweep::test::fake_run({{"task", r[0]}, {"batch_size", r[1]}, {"batch_size_effective", r[2]},
                                           {"seed", r[3]}, {"w", r[4]}, {"b", r[5]}, {"lstsq_w", "2.5"},
                                           {"lstsq_b", "4.5"}, {"status", r[6]}}));
  bsweep::test::write_runs(dir + "/runs.csv", runs);
}

}  // namespace

TEST_CASE("the table groups seeds by batch size in grid order and names each regime") {
  bsweep::test::TempDir dir;
  write_runs(dir.path(), {{"linear", "1", "1", "0", "2.0", "4.0", "ok"},
                          {"linear", "1", "1", "1", "3.0", "5.0", "ok"},
                          {"linear", "10", "10", "0", "2.5", "4.5", "ok"},
                          {"linear", "full", "100", "0", "1.0", "2.0", "ok"},
                          {"linear", "full", "100", "1", "9.0", "9.0", "diverged"}});
  const auto table = build_weight_table(dir.path());
  CHECK(table.names == std::vector<std::string>{"w", "b"});
  REQUIRE(table.rows.size() == 4);
  CHECK(table.rows[0].regime == "stochastic");
  CHECK(table.rows[0].values[0].mean == 2.5);
  CHECK(table.rows[0].values[0].count == 2);
  CHECK(table.rows[1].regime == "mini-batch");
  CHECK(table.rows[2].regime == "full batch");
  CHECK(table.rows[2].values[0].count == 1);  // the diverged run is left out
  CHECK(table.failed_runs == 1);
  CHECK(table.rows[3].batch_size == "least squares");
  CHECK(table.rows[3].values[1].mean == 4.5);

  const auto markdown = format_markdown(table, 2);
  CHECK_THAT(markdown, Catch::Contains("| linear | 1 | stochastic | 2 | 2.50 ± 0.71 | 4.50 ± 0.71 |"));
  CHECK_THAT(markdown, Catch::Contains("| linear | full (100) | full batch | 1 | 1.00 | 2.00 |"));
  CHECK_THAT(markdown, Catch::Contains("1 linear run(s) did not finish ok and are left out."));
  const auto csv = parse_csv(format_csv(table), "table.csv");
  CHECK(csv.header[5] == "w_mean");
  CHECK(csv.rows[0][5] == "2.5");
}

TEST_CASE("expected values from the grid are shown beside and marked where they differ") {
  bsweep::test::TempDir dir;
  write_runs(dir.path(), {{"linear", "1", "1", "0", "2.7389", "4.1933", "ok"},
                          {"linear", "full", "100", "0", "2.9395", "3.9135", "ok"}});
  std::ofstream(dir.path() + "/manifest.json") << R"({"grid": {"expected": {"source": "the notes", "task": "linear",
    "digits": 2, "values": [{"batch_size": 1, "w": 2.74, "b": 4.19}, {"batch_size": "full", "w": 2.94, "b": 3.19}]}}})";
  const auto table = build_weight_table(dir.path());
  CHECK(table.rows[0].differs == std::vector<bool>{false, false});
  CHECK(table.rows[1].differs == std::vector<bool>{false, true});
  const auto markdown = format_markdown(table, 4);
  CHECK_THAT(markdown, Catch::Contains("| 2.94 | 3.19 ✗ |"));
  CHECK_THAT(markdown, Catch::Contains("printed: the values printed in the notes."));
}

TEST_CASE("a results file without weights, or with a bad number, is an error naming file and line") {
  bsweep::test::TempDir dir;
  bsweep::test::write_runs(dir.path() + "/runs.csv", {bsweep::test::spirals_run({})}, 0);
  CHECK_THROWS_WITH(build_weight_table(dir.path()), Catch::Contains("runs.csv:1: no weight columns"));
  write_runs(dir.path(), {{"linear", "1", "1", "0", "oops", "4.0", "ok"}});
  const auto w = find_column(read_csv(dir.path() + "/runs.csv"), "w").value() + 1;
  CHECK_THROWS_WITH(build_weight_table(dir.path()),
                    Catch::EndsWith(fmt::format("runs.csv:2: column {} (w): expected a number, got \"oops\"", w)));
}

TEST_CASE("every setting that varies besides the batch size is a column, and its values rows of their own") {
  bsweep::test::TempDir dir;
  std::vector<Row> runs;
  for (const std::string lr : {"0.05", "0.01"})
    for (int seed = 0; seed < 5; ++seed)
      runs.push_back(bsweep::test::fake_run({{"lr", lr}, {"lr_used", lr}, {"seed", std::to_string(seed)},
                                             {"w", lr == "0.05" ? "2.0" : "1.0"}, {"index", std::to_string(seed)}}));
  bsweep::test::write_runs(dir.path() + "/runs.csv", runs);
  const auto table = build_weight_table(dir.path());
  CHECK(table.axes == std::vector<std::string>{"lr"});
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0].axes == std::vector<std::string>{"0.05"});
  CHECK(table.rows[0].values[0].count == 5);  // not 10: the two learning rates are not pooled
  CHECK(table.rows[0].values[0].std == 0);
  CHECK(table.rows[1].axes == std::vector<std::string>{"0.01"});
  CHECK(table.rows[2].batch_size == "least squares");
  CHECK(table.rows[2].values[0].count == 5);  // once per seed
  CHECK_THAT(format_markdown(table, 2), Catch::Contains("| task | batch size | lr | regime | runs |"));
  CHECK_THAT(format_markdown(table, 2), Catch::Contains("| linear | 10 | 0.01 | mini-batch | 5 | 1.00 ± 0.00 |"));
  const auto csv = parse_csv(format_csv(table), "table.csv");
  CHECK(csv.header[3] == "lr");
  CHECK(csv.rows[1][3] == "0.01");
}
