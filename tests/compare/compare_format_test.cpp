// Golden files for each output shape of `bsweep compare`. After a deliberate change of format, rewrite them with
// BSWEEP_UPDATE_GOLDEN=1 build/tests/bsweep_tests "[golden]" and read the diff before committing it.
#include "compare/compare_format.h"

#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace bsweep;
using bsweep::test::fake_run;
using bsweep::test::TempDir;
using bsweep::test::write_runs;

namespace {

const std::string kGoldenDir = BSWEEP_TEST_DATA "/compare";

// Five seeds at batch 10 where the new losses rise clearly (one new run diverged), two seeds at batch 1,
// batch "full" in base only and batch 32 in new only.
std::vector<Row> runs(bool next) {
  std::vector<Row> rows;
  for (int seed = 0; seed < 5; ++seed) {
    const double shift = next ? 0.25 : 0.0;
    rows.push_back(fake_run({{"index", std::to_string(seed)}, {"seed", std::to_string(seed)},
                             {"final_train_loss", fmt::format("{}", 1.0 + 0.01 * seed + shift)},
                             {"final_test_loss", fmt::format("{}", 1.1 + 0.02 * seed + shift)},
                             {"w", fmt::format("{}", 2.9 + 0.01 * seed)},
                             {"wall_s", fmt::format("{}", 0.0123 + 0.0002 * ((seed * 3 + next) % 5))},
                             {"peak_rss_bytes", fmt::format("{}", 180000000 + 100000 * seed)}}));
  }
  if (next) {
    rows.back()["status"] = "diverged";
    rows.back()["error"] = "loss is inf at iteration 12";
  }
  for (int seed = 0; seed < 2; ++seed)
    rows.push_back(fake_run({{"index", std::to_string(10 + seed)}, {"seed", std::to_string(seed)}, {"batch_size", "1"},
                             {"batch_size_effective", "1"}, {"final_train_loss", next ? "0.95" : "0.9"}}));
  rows.push_back(fake_run({{"index", "20"}, {"batch_size", next ? "32" : "full"},
                           {"batch_size_effective", next ? "32" : "100"}}));
  return rows;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + "/" + name;
  if (std::getenv("BSWEEP_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
  CAPTURE(path);
  CHECK(actual == read_file(path));
}

struct Fixture {
  TempDir dir;
  Comparison comparison;
  std::vector<Gate> gates = {parse_gate("test_loss>+5%"), parse_gate("|w|>1e-9")};
  std::vector<GateTrip> trips;
  Fixture() {
    write_runs(dir.path() + "/base.csv", runs(false));
    write_runs(dir.path() + "/new.csv", runs(true));
    auto base = read_runs_file(dir.path() + "/base.csv");
    auto next = read_runs_file(dir.path() + "/new.csv");
    base.source = "results/base";  // not the temporary path, so that the output is the same on every machine
    next.source = "results/new";
    CompareOptions options;
    options.metrics = {"*_loss", "w", "wall_s", "peak_rss_bytes"};
    comparison = compare_runs(base, next, options);
    trips = evaluate_gates(comparison, gates, false);
  }
  CompareOutcome outcome(bool strict = false, bool allow_diverged = false) const {
    return {comparison, gates, trips, strict, allow_diverged};
  }
};

}  // namespace

TEST_CASE("compare output: the terminal table", "[golden]") {
  Fixture fixture;
  check_golden("golden.txt", format_compare_text(fixture.outcome(), false));
}

TEST_CASE("compare output: markdown", "[golden]") {
  Fixture fixture;
  check_golden("golden.md", format_compare_markdown(fixture.outcome()));
}

TEST_CASE("compare output: csv", "[golden]") {
  Fixture fixture;
  check_golden("golden.csv", format_compare_csv(fixture.outcome()));
}

TEST_CASE("compare output: json", "[golden]") {
  Fixture fixture;
  const auto text = format_compare_json(fixture.outcome(true));
  check_golden("golden.json", text);
  const auto json = nlohmann::json::parse(text);
  CHECK(json["failed"] == true);
  CHECK(json["strict_failures"].size() == 3);  // base only, new only, a diverged run in new
}

TEST_CASE("a gated configuration that lost more runs to divergence in new fails, unless allowed") {
  Fixture fixture;
  const auto failures = fixture.outcome().divergence_failures();
  REQUIRE(failures.size() == 1);
  CHECK(failures[0] == "linear batch_size=10: 1 of 5 runs in new diverged (base: 0 of 5); the gates saw only the 4 "
                       "that finished ok");
  CHECK(fixture.outcome().failed());
  CHECK(fixture.outcome(false, true).divergence_failures().empty());
  CHECK_THAT(format_compare_text(fixture.outcome(), false), Catch::Contains("1 of 5 runs in new diverged\n"));
  const std::vector<Gate> no_gates;
  const CompareOutcome ungated{fixture.comparison, no_gates, fixture.trips};
  CHECK(ungated.divergence_failures().empty());  // without a gate, nothing is judged
}

TEST_CASE("four of five runs diverged: the survivor passes the gate, the comparison does not") {
  TempDir dir;
  std::vector<Row> base, next;
  for (int seed = 0; seed < 5; ++seed) {
    base.push_back(fake_run({{"seed", std::to_string(seed)}}));
    next.push_back(fake_run({{"seed", std::to_string(seed)}}));
    if (seed > 0) next.back()["status"] = "diverged";
  }
  write_runs(dir.path() + "/base.csv", base);
  write_runs(dir.path() + "/new.csv", next);
  const auto comparison = compare_runs(read_runs_file(dir.path() + "/base.csv"), read_runs_file(dir.path() + "/new.csv"), {});
  const std::vector<Gate> gates = {parse_gate("test_loss>+5%")};
  const auto trips = evaluate_gates(comparison, gates, false);
  CHECK(trips.empty());
  const CompareOutcome outcome{comparison, gates, trips};
  CHECK(outcome.failed());
  CHECK_THAT(outcome.divergence_failures().at(0), Catch::Contains("4 of 5 runs in new diverged (base: 0 of 5); the "
                                                                   "gates saw only the 1 that finished ok"));
  const CompareOutcome allowed{comparison, gates, trips, false, true};
  CHECK_FALSE(allowed.failed());
}

TEST_CASE("colour only when asked and then the worse change is red") {
  Fixture fixture;
  CHECK(format_compare_text(fixture.outcome(), false).find('\033') == std::string::npos);
  const auto coloured = format_compare_text(fixture.outcome(), true);
  CHECK(coloured.find("\033[31m") != std::string::npos);
}

TEST_CASE("quantities read in their unit's scale") {
  CHECK(format_summary({0.0123, 0.0004, 5}, "s") == "12.3 ± 0.4 ms");
  CHECK(format_summary({2.5e-6, 0, 1}, "s") == "2.5 µs");
  CHECK(format_summary({3.0 * 1024 * 1024, 0.25 * 1024 * 1024, 3}, "bytes") == "3 ± 0.25 MiB");
  CHECK(format_summary({0.48213, 0.01, 2}, "") == "0.4821 ± 0.01");
  CHECK(format_change(0.0531) == "+5.31%");
  CHECK(format_change(-0.0000421) == "-0.0042%");
  CHECK(format_change(0) == "0%");
}
