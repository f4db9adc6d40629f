#include "compare/compare.h"

#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

using namespace bsweep;
using bsweep::test::fake_run;
using bsweep::test::TempDir;
using bsweep::test::write_runs;
using Catch::Matchers::Contains;

namespace {

// `seeds` runs of one configuration with final_train_loss = start, start + step, ...
std::vector<Row> seeds_of(const Row& config, int seeds, double start, double step) {
  std::vector<Row> rows;
  for (int s = 0; s < seeds; ++s) {
    Row row = fake_run(config);
    row["seed"] = std::to_string(s);
    row["final_train_loss"] = fmt::format("{}", start + step * s);
    rows.push_back(row);
  }
  return rows;
}

std::vector<Row> operator+(std::vector<Row> a, const std::vector<Row>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const MetricComparison& metric_of(const ConfigComparison& config, const std::string& name) {
  for (const auto& metric : config.metrics)
    if (metric.metric == name) return metric;
  FAIL("no metric " << name);
  throw;
}

struct Pair {
  TempDir dir;
  RunsFile base, next;
  Pair(const std::vector<Row>& base_rows, const std::vector<Row>& next_rows) {
    write_runs(dir.path() + "/base.csv", base_rows);
    write_runs(dir.path() + "/new.csv", next_rows);
    base = read_runs_file(dir.path() + "/base.csv");
    next = read_runs_file(dir.path() + "/new.csv");
  }
};

}  // namespace

TEST_CASE("a sweep compared with itself changes nothing") {
  const auto rows = seeds_of({{"batch_size", "1"}}, 5, 1.0, 0.1) + seeds_of({{"batch_size", "10"}}, 5, 2.0, 0.1);
  Pair pair(rows, rows);
  const auto comparison = compare_runs(pair.base, pair.next, {});
  REQUIRE(comparison.matched.size() == 2);
  CHECK(comparison.only_base.empty());
  CHECK(comparison.only_next.empty());
  for (const auto& config : comparison.matched) {
    for (const auto& metric : config.metrics) {
      CAPTURE(config.label, metric.metric);
      CHECK(metric.delta == 0);
      CHECK(metric.relative == 0);
      REQUIRE(metric.test);
      CHECK(metric.test->p == 1.0);
      CHECK_FALSE(metric.significant);
    }
  }
}

TEST_CASE("runs are matched without the seed and summarised over seeds") {
  Pair pair(seeds_of({}, 10, 1.0, 0.01), seeds_of({}, 10, 1.2, 0.01));
  const auto comparison = compare_runs(pair.base, pair.next, {});
  REQUIRE(comparison.matched.size() == 1);
  const auto& config = comparison.matched[0];
  CHECK(config.base_runs == 10);
  const auto& loss = metric_of(config, "final_train_loss");
  CHECK(loss.base.count == 10);
  CHECK(loss.base.mean == Approx(1.045));
  CHECK(loss.next.mean == Approx(1.245));
  CHECK(loss.delta == Approx(0.2));
  CHECK(loss.relative == Approx(0.2 / 1.045));
  REQUIRE(loss.test);
  CHECK(loss.test->method == TestMethod::asymptotic);  // 10 a side
  CHECK(loss.test->p < 0.001);
  CHECK(loss.significant);
  CHECK_FALSE(loss.too_few_seeds);
  // Columns that did not move are not significant.
  CHECK_FALSE(metric_of(config, "wall_s").significant);
  // Empty columns (accuracy of a regression) are not compared.
  for (const auto& metric : config.metrics) CHECK(metric.metric != "final_train_accuracy");
}

TEST_CASE("configurations on one side only are listed, not dropped") {
  Pair pair(seeds_of({{"batch_size", "1"}}, 2, 1, 0) + seeds_of({{"batch_size", "full"}}, 2, 1, 0),
            seeds_of({{"batch_size", "1"}}, 2, 1, 0) + seeds_of({{"batch_size", "32"}}, 3, 1, 0));
  const auto comparison = compare_runs(pair.base, pair.next, {});
  REQUIRE(comparison.matched.size() == 1);
  REQUIRE(comparison.only_base.size() == 1);
  REQUIRE(comparison.only_next.size() == 1);
  CHECK(comparison.only_base[0].label == "linear batch_size=full");
  CHECK(comparison.only_base[0].base_runs == 2);
  CHECK(comparison.only_next[0].label == "linear batch_size=32");
  CHECK(comparison.only_next[0].next_runs == 3);
}

TEST_CASE("ignoring a configuration column matches across it (the learning rate here)") {
  Pair pair(seeds_of({{"lr", "0.01"}}, 4, 1, 0.1), seeds_of({{"lr", "0.02"}}, 4, 0.5, 0.1));
  CHECK(compare_runs(pair.base, pair.next, {}).matched.empty());
  CompareOptions options;
  options.ignore = {"lr"};
  const auto comparison = compare_runs(pair.base, pair.next, options);
  REQUIRE(comparison.matched.size() == 1);
  CHECK(metric_of(comparison.matched[0], "final_train_loss").significant);  // 4 v 4 exact: p = 2/70
  options.ignore = {"learning_rate"};
  CHECK_THROWS_WITH(compare_runs(pair.base, pair.next, options),
                    Contains("--ignore learning_rate: not a configuration column"));
}

TEST_CASE("runs that did not finish ok are counted and left out of the statistics") {
  auto next = seeds_of({}, 4, 1.0, 0.1);
  next[3]["status"] = "diverged";
  next[3]["final_train_loss"] = "inf";
  Pair pair(seeds_of({}, 4, 1.0, 0.1), next);
  const auto comparison = compare_runs(pair.base, pair.next, {});
  const auto& config = comparison.matched.at(0);
  CHECK(config.next_failed == 1);
  CHECK(comparison.next.failed == 1);
  CHECK(metric_of(config, "final_train_loss").next.count == 3);
  CHECK(std::isfinite(metric_of(config, "final_train_loss").next.mean));
}

TEST_CASE("labels name the task and what differs, in grid order") {
  auto base = seeds_of({{"batch_size", "10"}, {"index", "1"}}, 1, 1, 0) +
              seeds_of({{"batch_size", "1"}, {"index", "0"}}, 1, 1, 0) +
              seeds_of(bsweep::test::spirals_run({{"index", "2"}}), 1, 1, 0);
  Pair pair(base, base);
  const auto comparison = compare_runs(pair.base, pair.next, {});
  REQUIRE(comparison.matched.size() == 3);
  // n_train and task_type differ only between tasks: the task's name says it
  CHECK(comparison.matched[0].label == "linear batch_size=1");
  CHECK(comparison.matched[1].label == "linear batch_size=10");
  CHECK(comparison.matched[2].label == "spirals batch_size=10");
}

TEST_CASE("a relative change from a zero mean is infinite and zero when nothing moved") {
  Pair pair(seeds_of({{"b", "0"}}, 2, 1, 0), seeds_of({{"b", "0.5"}}, 2, 1, 0));
  const auto& config = compare_runs(pair.base, pair.next, {}).matched.at(0);
  CHECK(std::isinf(metric_of(config, "b").relative));
  CHECK(metric_of(config, "b").relative > 0);
  CHECK(metric_of(config, "w").relative == 0);
}

TEST_CASE("with fewer than two runs a side there is no test and too few seeds is said") {
  Pair pair(seeds_of({}, 1, 1, 0), seeds_of({}, 3, 1, 0.1));
  const auto& loss = metric_of(compare_runs(pair.base, pair.next, {}).matched.at(0), "final_train_loss");
  CHECK_FALSE(loss.test);
  CHECK(loss.too_few_seeds);
  Pair three(seeds_of({}, 3, 1, 0.1), seeds_of({}, 3, 2, 0.1));
  const auto& separated = metric_of(compare_runs(three.base, three.next, {}).matched.at(0), "final_train_loss");
  CHECK(separated.test->p == Approx(0.1));  // as far apart as can be, and still 2/C(6,3)
  CHECK(separated.too_few_seeds);
}

TEST_CASE("the metric option narrows the comparison and a metric of neither file is an error") {
  Pair pair(seeds_of({}, 2, 1, 0), seeds_of({}, 2, 1, 0));
  CompareOptions options;
  options.metrics = {"*_loss", "w"};
  const auto comparison = compare_runs(pair.base, pair.next, options);
  CHECK(comparison.metrics == std::vector<std::string>{"final_train_loss", "final_test_loss", "w"});
  options.metrics = {"test_loss"};  // final_ may be left out
  CHECK(compare_runs(pair.base, pair.next, options).metrics == std::vector<std::string>{"final_test_loss"});
  options.metrics = {"loss"};
  CHECK_THROWS_WITH(compare_runs(pair.base, pair.next, options), Contains("--metric loss: no metric of both files"));
}

TEST_CASE("a bad number in a run is bad input even where the run is on one side only") {
  CHECK_THROWS_WITH(Pair(seeds_of({}, 2, 1, 0) + seeds_of({{"batch_size", "1"}, {"wall_s", "fast"}}, 1, 1, 0),
                         seeds_of({}, 2, 1, 0)),
                    Contains("base.csv:4: column 41 (wall_s): expected a number, got \"fast\""));
}

TEST_CASE("which way is better, by metric") {
  CHECK(better_direction("final_test_loss") == -1);
  CHECK(better_direction("wall_s") == -1);
  CHECK(better_direction("peak_rss_bytes") == -1);
  CHECK(better_direction("samples_per_s") == +1);
  CHECK(better_direction("final_test_accuracy") == +1);
  CHECK(better_direction("w") == 0);
}
