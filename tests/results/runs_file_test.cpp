#include "results/runs_file.h"

#include "util/json_path.h"
#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>

using namespace bsweep;
using bsweep::test::fake_run;
using bsweep::test::TempDir;
using bsweep::test::write_runs;
using Catch::Matchers::Contains;

TEST_CASE("a results folder and its runs.csv read the same") {
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({{"error", "line one\nline \"two\", quoted"}}), fake_run({{"seed", "1"}})});
  const auto from_folder = read_runs_file(dir.path());
  const auto from_file = read_runs_file(dir.path() + "/runs.csv");
  CHECK(from_folder.path == from_file.path);
  REQUIRE(from_folder.rows() == 2);
  CHECK(from_folder.text(0, from_folder.column("error")) == "line one\nline \"two\", quoted");
  CHECK(from_folder.text(0, from_folder.column("task_params")) == fake_run({}).at("task_params"));
  CHECK(from_folder.line(0) == 2);
  CHECK(from_folder.line(1) == 4);  // the quoted line break counts
  CHECK(from_folder.number(0, from_folder.column("wall_s")) == 0.5);
  CHECK_FALSE(from_folder.number(0, from_folder.column("steps")));  // empty
}

TEST_CASE("a missing file or folder is named") {
  TempDir dir;
  CHECK_THROWS_WITH(read_runs_file(dir.path() + "/nope.csv"), Contains("nope.csv: no such file"));
  CHECK_THROWS_WITH(read_runs_file(dir.path()), Contains("no runs.csv in this folder"));
}

TEST_CASE("a CSV that is not a runs.csv says so") {
  TempDir dir;
  std::ofstream(dir.path() + "/curves.csv") << csv_line(header_of(curve_columns()));
  CHECK_THROWS_WITH(read_runs_file(dir.path() + "/curves.csv"), Contains("this is a curves file, not runs.csv"));
  std::ofstream(dir.path() + "/other.csv") << "a,b\n1,2\n";
  CHECK_THROWS_WITH(read_runs_file(dir.path() + "/other.csv"),
                    Contains("other.csv:1: no column \"run_id\": not a bsweep runs.csv"));
}

TEST_CASE("a row with the wrong number of fields names its line") {
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({}), fake_run({{"seed", "1"}})});
  std::ofstream(dir.path() + "/runs.csv", std::ios::app) << "only,three,fields\n";
  CHECK_THROWS_WITH(read_runs_file(dir.path()),
                    Contains(fmt::format("runs.csv:4: expected {} fields as in the header, got 3", runs_header(1).size())));
}

TEST_CASE("a field that is not a number names file, line and column") {
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({}), fake_run({{"seed", "1"}, {"wall_s", "12ms"}})});
  const auto wall = find_column(read_csv(dir.path() + "/runs.csv"), "wall_s").value();
  CHECK_THROWS_WITH(read_runs_file(dir.path()),
                    Contains(fmt::format("runs.csv:3: column {} (wall_s): expected a number, got \"12ms\"", wall + 1)));
  write_runs(dir.path() + "/runs.csv", {fake_run({})});
  const auto runs = read_runs_file(dir.path());
  CHECK_THROWS_WITH(runs.required_number(0, runs.column("steps")), Contains("(steps): expected a number, got an empty"));
}

TEST_CASE("a manifest that records a column in another unit is refused") {
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({})});
  std::ofstream(dir.path() + "/manifest.json") << R"({"units": {"runs.csv": {"wall_s": "ms", "peak_rss_bytes": "bytes"}}})";
  CHECK_THROWS_WITH(read_runs_file(dir.path()),
                    Contains("manifest.json: units.runs.csv.wall_s: recorded in \"ms\", but this bsweep reads wall_s in "
                             "\"s\""));
  std::ofstream(dir.path() + "/manifest.json") << R"({"units": {"runs.csv": {"wall_s": "s"}}})";
  CHECK_NOTHROW(read_runs_file(dir.path()));
}

TEST_CASE("of two faults the one on the earlier line is told, whichever half of the check finds it") {
  // The reader checks in two threads (settings in one; digest, numbers stored in the other): the rows before a
  // fault the first thread finds are still checked by the second.
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({}), fake_run({{"seed", "1"}}), fake_run({{"seed", "2"}})});
  auto table = read_csv(dir.path() + "/runs.csv");
  const auto loss = find_column(table, "final_train_loss").value(), status = find_column(table, "status").value();
  table.rows[1][loss] = "0.5";         // line 3: only the digest tells
  table.rows[2][status] = "finished";  // line 4: the settings' half tells
  std::ofstream out(dir.path() + "/runs.csv");
  out << csv_line(table.header);
  for (const auto& row : table.rows) out << csv_line(row);
  out.close();
  CHECK_THROWS_WITH(read_runs_file(dir.path()), Contains("runs.csv:3: column") && Contains("(row_digest)"));
}
