#include "plot/sweep_view.h"

#include "util/json_path.h"
#include "results/schema.h"
#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <map>

using namespace bsweep;
using bsweep::test::fake_run;
using bsweep::test::TempDir;
using bsweep::test::write_runs;
using Catch::Matchers::Contains;

namespace {

// Two seeds at batch 10 and "full", one failed; curves of three points each, train loss = 1 / (1 + iteration)
// plus the seed. Returns the run ids by name: ten0, ten1, full0, full1.
std::map<std::string, std::string> write_sweep(const std::string& dir) {
  const auto ids = write_runs(
      dir + "/runs.csv",
      {fake_run({{"index", "2"}, {"batch_size", "full"}, {"batch_size_effective", "100"}}),
       fake_run({{"index", "0"}, {"seed", "0"}}), fake_run({{"index", "1"}, {"seed", "1"}}),
       fake_run({{"index", "3"}, {"seed", "1"}, {"batch_size", "full"}, {"batch_size_effective", "100"},
                 {"status", "diverged"}})});
  const std::map<std::string, std::string> id = {{"full0", ids[0]}, {"ten0", ids[1]}, {"ten1", ids[2]}, {"full1", ids[3]}};
  // The training set, as the first run of seed 0 handed it back.
  std::ofstream data(dir + "/data.csv");
  data << csv_line(header_of(data_columns())) << csv_line({id.at("ten0"), "0", "0.25", "4.5"})
       << csv_line({id.at("ten0"), "1", "1.75", "9.25"});
  std::ofstream curves(dir + "/curves.csv");
  curves << csv_line(curves_header(1));
  for (const auto& [name, seed] : std::vector<std::pair<std::string, int>>{{"ten0", 0}, {"ten1", 1}, {"full0", 0}}) {
    for (int iteration : {0, 10, 20}) {
      Row row = {{"run_id", id.at(name)}, {"epoch", std::to_string(iteration / 10)}, {"iteration", std::to_string(iteration)},
                 {"train_loss", fmt::format("{}", 1.0 / (1 + iteration) + seed)}, {"elapsed_s", fmt::format("{}", iteration * 0.1 * (1 + seed))},
                 {"w", "1"}, {"b", "2"}};
      curves << csv_line(order(row, curves_header(1)));
    }
  }
  return id;
}

}  // namespace

TEST_CASE("a sweep is arranged by task and batch size, failed runs apart") {
  TempDir dir;
  write_sweep(dir.path());
  const auto view = load_sweep_view(dir.path());
  REQUIRE(view.tasks.size() == 1);
  const auto& task = view.tasks[0];
  CHECK(task.name == "linear");
  CHECK(task.has_plane_data);
  CHECK(task.linear_model);
  REQUIRE(task.lines.size() == 2);
  CHECK(task.lines[0].label == "batch 10");
  CHECK(task.lines[0].ok_rows.size() == 2);
  CHECK(task.lines[1].label == "batch full (100)");
  CHECK(task.lines[1].batch == 100);
  CHECK(task.lines[1].ok_rows.size() == 1);
  CHECK(task.lines[1].failed_rows.size() == 1);
  CHECK(view.failed == 1);
}

TEST_CASE("a task whose runs have no bias is not drawn as a linear model, whatever its data") {
  TempDir dir;
  write_sweep(dir.path());
  write_runs(dir.path() + "/runs.csv", {fake_run({{"index", "0"}, {"w", ""}, {"b", ""},
                                                  {"lstsq_w", ""}, {"lstsq_b", ""}})});
  const auto view = load_sweep_view(dir.path());
  REQUIRE(view.tasks.size() == 1);
  CHECK(view.tasks[0].has_plane_data);
  CHECK_FALSE(view.tasks[0].linear_model);
}

TEST_CASE("the training data is found for every run of the same task, generator and seed") {
  TempDir dir;
  const auto id = write_sweep(dir.path());
  const auto view = load_sweep_view(dir.path());
  const auto row_of = [&](const std::string& id) {
    for (std::size_t r = 0; r < view.runs.rows(); ++r)
      if (view.run_id(r) == id) return r;
    FAIL("no run " << id);
    return std::size_t{0};
  };
  const auto data = training_data(view, row_of(id.at("full0")));  // seed 0, like ten0, which carried it
  CHECK(data.x == std::vector<double>{0.25, 1.75});
  CHECK(data.y == std::vector<double>{4.5, 9.25});
  CHECK(training_data(view, row_of(id.at("ten1"))).x.empty());  // seed 1: nobody carried it
}

TEST_CASE("curves are averaged point by point over the seeds that finished ok") {
  TempDir dir;
  write_sweep(dir.path());
  const auto view = load_sweep_view(dir.path());
  const auto band = curve_band(view, view.tasks[0].lines[0], "elapsed_s", "train_loss");
  REQUIRE(band.size() == 3);
  CHECK(band[1].x == Approx(1.5));          // mean of 1.0 and 2.0 seconds
  CHECK(band[1].mean == Approx(1.0 / 11 + 0.5));
  CHECK(band[1].std == Approx(0.70710678));  // seeds 0 and 1 differ by exactly 1
  const auto full = curve_band(view, view.tasks[0].lines[1], "iteration", "train_loss");
  CHECK(full.size() == 3);
  CHECK(full[2].std == 0);  // one run: the failed one is not in it
}

TEST_CASE("a folder without curves is named") {
  TempDir dir;
  write_runs(dir.path() + "/runs.csv", {fake_run({})});
  CHECK_THROWS_WITH(load_sweep_view(dir.path()), Contains("curves.csv: no such file"));
  CHECK_THROWS_WITH(load_sweep_view(dir.path() + "/runs.csv"), Contains("not a folder"));
}
