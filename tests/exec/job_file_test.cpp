#include "exec/job_file.h"

#include "util/errors.h"
#include "spec/grid.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace bsweep;
using bsweep::test::TempDir;

namespace {

std::string write(const TempDir& dir, const nlohmann::json& json) {
  const auto path = dir.path() + "/job.json";
  std::ofstream(path) << json.dump();
  return path;
}

}  // namespace

TEST_CASE("a job file carries its runs whole: a worker reads back the same runs and ids") {
  TempDir dir;
  const auto runs = expand(parse_sweep(bsweep::test::small_grid(), "t"));
  const auto path = write(dir, make_job("abc123", "/results/.pending/abc123", {{runs[1], runs[1].id, true},
                                                                               {runs[2], runs[2].id, false}}));
  const auto job = read_job(path);
  CHECK(job.sweep == "abc123");
  CHECK(job.result_dir == "/results/.pending/abc123");
  REQUIRE(job.runs.size() == 2);
  CHECK(job.runs[0].run.id == runs[1].id);
  CHECK(job.runs[0].sent_id == runs[1].id);
  CHECK(job.runs[0].run.index == 1);
  CHECK(job.runs[0].keep_data);
  CHECK(job.runs[1].run.config() == runs[2].config());
  CHECK_FALSE(job.runs[1].keep_data);
}

TEST_CASE("a malformed job file is an input error that names the place") {
  TempDir dir;
  const auto runs = expand(parse_sweep(bsweep::test::small_grid(), "t"));
  auto json = make_job("s", "d", {{runs[0], runs[0].id, false}});
  SECTION("a run without its configuration") {
    json["runs"][0].erase("config");
    CHECK_THROWS_WITH(read_job(write(dir, json)), Catch::Contains("runs[0].config: missing"));
  }
  SECTION("a configuration the grid rules refuse") {
    json["runs"][0]["config"]["lr"] = -1;
    CHECK_THROWS_AS(read_job(write(dir, json)), InputError);
  }
  SECTION("no runs") {
    json["runs"] = nlohmann::json::array();
    CHECK_THROWS_WITH(read_job(write(dir, json)), Catch::Contains("runs: expected a non-empty list"));
  }
}
