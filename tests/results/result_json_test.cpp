#include "results/result_json.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

using namespace bsweep;

namespace {

std::uint64_t bits(double value) {
  std::uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

TrainResult diverged_result() {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  TrainResult result;
  result.status = RunStatus::diverged;
  result.error = "training loss nan";
  result.plan = {100, 10, 10};
  result.iterations = 7;
  result.samples = 70;
  result.curve.push_back({0, 0, 40.3206, 41.5, -1, -1, -1, 0, {0.1, -0.2}, {}});
  result.curve.push_back({0.7, 7, nan, inf, -1, -1, -inf, 1e-300, {nan, inf}, {}});
  result.parameters.push_back({"0.weight", {nan, 0.1 + 0.2, 5e-324}});
  result.least_squares = {2.9717699779444990, 4.106753118517444};
  result.device = "cpu";
  result.wall_s = 0.02;
  result.train_s = 0.0019;
  result.measures = {{"peak_tensor_bytes", 4852}, {"step_peak_tensor_bytes", 140}, {"peak_rss_bytes", 170323968}};
  return result;
}

}  // namespace

TEST_CASE("every value crosses the hand-off bit for bit, NaN and infinities included") {
  const auto sent = diverged_result();
  const auto text = result_to_json(sent, "sweep1", "run1").dump();
  const auto got = result_from_json(nlohmann::json::parse(text), "sweep1", "run1");
  CHECK(got.status == RunStatus::diverged);
  CHECK(got.iterations == 7);
  REQUIRE(got.curve.size() == 2);
  CHECK(std::isnan(got.curve[1].train_loss));
  CHECK(got.curve[1].test_loss == std::numeric_limits<double>::infinity());
  CHECK(got.curve[1].batch_loss == -std::numeric_limits<double>::infinity());
  CHECK(bits(got.curve[1].elapsed_s) == bits(1e-300));
  CHECK(std::isnan(got.curve[1].linear[0]));
  CHECK(bits(got.parameters[0].values[1]) == bits(0.1 + 0.2));
  CHECK(bits(got.parameters[0].values[2]) == bits(5e-324));
  CHECK(bits(got.least_squares[0]) == bits(sent.least_squares[0]));
  CHECK(got.measures.at("peak_rss_bytes") == 170323968);
}

TEST_CASE("a hand-off from another sweep, for another run or of another format is refused") {
  const auto json = result_to_json(diverged_result(), "sweep1", "run1");
  CHECK_THROWS_AS(result_from_json(json, "sweep2", "run1"), HandoffError);
  CHECK_THROWS_WITH(result_from_json(json, "sweep2", "run1"), Catch::Contains("another sweep's"));
  CHECK_THROWS_WITH(result_from_json(json, "sweep1", "run2"), Catch::Contains("result.run_id"));
  auto other_build = json;
  other_build["build"] = "0.0.1 0123456789ab";
  CHECK_THROWS_WITH(result_from_json(other_build, "sweep1", "run1"), Catch::Contains("result.build: written by bsweep 0.0.1"));
  auto old = json;
  old["format"] = 1;
  CHECK_THROWS_WITH(result_from_json(old, "sweep1", "run1"), Catch::Contains("another version"));
}

TEST_CASE("a damaged hand-off names the value it cannot read") {
  auto json = result_to_json(diverged_result(), "s", "r");
  SECTION("null where a number belongs (what older workers wrote for NaN)") {
    json["curve"][1]["train_loss"] = nullptr;
    CHECK_THROWS_WITH(result_from_json(json, "s", "r"), Catch::Contains("result.curve[1].train_loss: expected a number"));
  }
  SECTION("a missing field") {
    json.erase("wall_s");
    CHECK_THROWS_WITH(result_from_json(json, "s", "r"), Catch::Contains("result.wall_s: missing"));
  }
  SECTION("a status no worker reports") {
    json["status"] = "interrupted";
    CHECK_THROWS_AS(result_from_json(json, "s", "r"), HandoffError);
  }
  SECTION("not an object") {
    CHECK_THROWS_AS(result_from_json(nlohmann::json::array(), "s", "r"), HandoffError);
  }
}

TEST_CASE("a hand-off may carry a worker's timeout or crash (a Slurm task's), never an interruption") {
  TrainResult result;
  result.status = RunStatus::crashed;
  result.error = "killed by signal 6";
  const auto back = result_from_json(result_to_json(result, "s", "r"), "s", "r");
  CHECK(back.status == RunStatus::crashed);
  CHECK(back.error == "killed by signal 6");
  result.status = RunStatus::timeout;
  CHECK(result_from_json(result_to_json(result, "s", "r"), "s", "r").status == RunStatus::timeout);
  result.status = RunStatus::interrupted;
  CHECK_THROWS_AS(result_from_json(result_to_json(result, "s", "r"), "s", "r"), HandoffError);
}
