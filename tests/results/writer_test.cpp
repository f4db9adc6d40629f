#include "results/writer.h"

#include "spec/grid.h"
#include "util/errors.h"
#include "results/csv.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace bsweep;

namespace {

// What a worker hands back for a linear run of 2 epochs at 10 iterations each, written out by hand.
TrainResult linear_result() {
  TrainResult result;
  result.plan = {100, 10, 10};
  result.iterations = 20;
  result.samples = 200;
  for (int epoch = 0; epoch <= 2; ++epoch)
    result.curve.push_back({static_cast<double>(epoch), epoch * 10, 1.0 / (1 + epoch), 1.5 / (1 + epoch), -1, -1,
                            epoch == 0 ? -1 : 0.5, 0.01 * epoch, {2.5 + epoch, 0.1}, {}});
  result.parameters = {{"0.weight", {2.9000000000000004}}, {"0.bias", {0.30000000000000004}}};
  result.least_squares = {3.0, 4.0};
  result.device = "cpu";
  result.data = {{0.5, 1.5}, {5.5, 8.5}};
  result.wall_s = 0.05;
  result.train_s = 0.02;
  result.measures = {{"peak_tensor_bytes", 4096}, {"step_peak_tensor_bytes", 1024}, {"peak_rss_bytes", 1 << 20}};
  return result;
}

}  // namespace

TEST_CASE("a finished run becomes one runs.csv row, its curve, its weights and its data") {
  bsweep::test::TempDir dir;
  auto grid = bsweep::test::small_grid();
  grid["batch_sizes"] = {10};
  grid["epochs"] = 2;
  const auto run = expand(parse_sweep(grid, "w")).at(0);
  const auto result = linear_result();
  ResultsWriter writer(dir.path(), 1);
  writer.append(run, result);

  const auto runs = read_csv(dir.path() + "/runs.csv");
  REQUIRE(runs.rows.size() == 1);
  auto field = [&](const std::string& name) {
    for (std::size_t i = 0; i < runs.header.size(); ++i)
      if (runs.header[i] == name) return runs.rows[0][i];
    FAIL("no column " << name);
    return std::string();
  };
  CHECK(field("run_id") == run.id);
  CHECK(field("iterations_per_epoch") == "10");
  CHECK(field("iterations") == "20");
  CHECK(field("status") == "ok");
  CHECK(std::stod(field("w")) == result.parameters[0].values[0]);  // printed to round-trip exactly
  CHECK(std::stod(field("b")) == result.parameters[1].values[0]);
  CHECK(nlohmann::json::parse(field("task_params"))["n_train"] == 100);
  CHECK(std::stod(field("peak_tensor_bytes")) > 0);

  CHECK(read_csv(dir.path() + "/curves.csv").rows.size() == 3);
  const auto weights = read_csv(dir.path() + "/weights.csv");
  CHECK(weights.header == std::vector<std::string>{"run_id", "parameter", "index", "value"});
  CHECK(weights.rows.size() == 2);
  const auto data = read_csv(dir.path() + "/data.csv");
  CHECK(data.header == std::vector<std::string>{"run_id", "index", "x", "y"});
  CHECK(data.rows == std::vector<std::vector<std::string>>{{run.id, "0", "0.5", "5.5"}, {run.id, "1", "1.5", "8.5"}});
  CHECK(std::stod(field("lstsq_w")) == 3.0);
  CHECK(std::stod(field("step_s")) == Approx(0.001));

  SECTION("a second writer on the same folder appends") {
    ResultsWriter again(dir.path(), 1);
    again.append(run, result);
    CHECK(read_csv(dir.path() + "/runs.csv").rows.size() == 2);
  }
  SECTION("a folder whose files have other columns is refused") {
    CHECK_THROWS_WITH(ResultsWriter(dir.path(), 3), Catch::Contains("its columns differ"));
  }
}

TEST_CASE("a linear task with several features gets columns w0.. and b") {
  const auto header = runs_header(3);
  CHECK(std::find(header.begin(), header.end(), "w2") != header.end());
  CHECK(std::find(header.begin(), header.end(), "w") == header.end());
  const auto none = runs_header(0);
  CHECK(std::find(none.begin(), none.end(), "b") == none.end());
}

TEST_CASE("a partial last row, as a power loss can leave, is cut off when the folder is opened again") {
  bsweep::test::TempDir dir;
  const std::string path = dir.path() + "/runs.csv";
  const std::string whole = "id,error\n1,\"a message\nover two lines\"\n";
  SECTION("a row cut in a quoted line break") {
    std::ofstream(path) << whole << "2,\"cut in a quoted\nline";
  }
  SECTION("a row cut in a plain field") {
    std::ofstream(path) << whole << "2,cut";
  }
  repair_torn_tail(path);
  std::ifstream in(path);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == whole);
  CHECK(read_csv(path).rows.size() == 1);

  repair_torn_tail(path);  // a whole file is left alone
  std::ifstream again(path);
  CHECK(std::string(std::istreambuf_iterator<char>(again), {}) == whole);
}

TEST_CASE("a write that runs out of room leaves the file as it was and says why") {
  bsweep::test::TempDir dir;
  const std::string path = dir.path() + "/runs.csv";
  append_durably(path, "header\nrow 1\n");
  // A file size limit stands in for a full disk: write() fails part way, as with ENOSPC.
  signal(SIGXFSZ, SIG_IGN);
  rlimit saved{};
  getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 20;
  setrlimit(RLIMIT_FSIZE, &small);
  CHECK_THROWS_AS(append_durably(path, std::string(100, 'x') + "\n"), ResourceError);
  CHECK_THROWS_WITH(write_atomically(dir.path() + "/manifest.json", std::string(100, 'y')),
                    Catch::Contains("cannot write") && Catch::Contains("manifest.json.tmp"));
  setrlimit(RLIMIT_FSIZE, &saved);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "header\nrow 1\n");
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/manifest.json.tmp"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/manifest.json"));
}
