#include "compare/gate.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace bsweep;
using Catch::Matchers::Contains;

TEST_CASE("gates parse relative or absolute thresholds on the signed change or its size") {
  auto gate = parse_gate("test_loss>+5%");
  CHECK(gate.metric == "test_loss");
  CHECK(gate.op == Gate::Op::greater);
  CHECK(gate.threshold == 5.0);
  CHECK(gate.relative);
  CHECK_FALSE(gate.magnitude);

  gate = parse_gate(" samples_per_s <= -10 % ");
  CHECK(gate.op == Gate::Op::less_equal);
  CHECK(gate.threshold == -10.0);

  gate = parse_gate("|w|>1e-6");
  CHECK(gate.magnitude);
  CHECK_FALSE(gate.relative);
  CHECK(gate.threshold == 1e-6);

  CHECK(parse_gate("*_loss>=0.5%").metric == "*_loss");
}

TEST_CASE("a malformed gate is an error that quotes it") {
  const auto bad = GENERATE(as<std::string>{}, "test_loss", "test_loss=5%", ">5%", "test_loss>five%", "|w>1",
                            "test_loss>5%%", "test_loss>inf");
  CAPTURE(bad);
  CHECK_THROWS_WITH(parse_gate(bad), Contains("--fail-if '" + bad + "'"));
}

namespace {

MetricComparison metric(const std::string& name, double base_mean, double next_mean, bool significant) {
  MetricComparison m;
  m.metric = name;
  m.base.mean = base_mean;
  m.next.mean = next_mean;
  m.delta = next_mean - base_mean;
  m.relative = base_mean == 0 ? (m.delta == 0 ? 0 : std::copysign(std::numeric_limits<double>::infinity(), m.delta))
                              : m.delta / std::fabs(base_mean);
  m.significant = significant;
  return m;
}

Comparison example() {
  Comparison comparison;
  comparison.metrics = {"final_test_loss", "wall_s", "w", "b"};
  ConfigComparison a, b;
  a.label = "linear batch_size=1";
  a.metrics = {metric("final_test_loss", 1.0, 1.08, true), metric("wall_s", 2.0, 1.0, false), metric("w", 3.0, 2.999, false)};
  b.label = "linear batch_size=10";
  b.metrics = {metric("final_test_loss", 1.0, 1.03, false), metric("wall_s", 2.0, 2.5, false), metric("b", 0.0, 0.1, false)};
  comparison.matched = {a, b};
  return comparison;
}

}  // namespace

TEST_CASE("gates trip on the change of the mean") {
  const auto comparison = example();
  std::vector<Gate> gates = {parse_gate("test_loss>+5%")};
  auto trips = evaluate_gates(comparison, gates, false);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].label == "linear batch_size=1");
  CHECK(trips[0].metric == "final_test_loss");
  CHECK(trips[0].value == Approx(8.0));

  gates = {parse_gate("test_loss>+2%")};
  CHECK(evaluate_gates(comparison, gates, false).size() == 2);
  CHECK(evaluate_gates(comparison, gates, true).size() == 1);  // only the significant one

  gates = {parse_gate("wall_s<-40%")};  // fell by half
  CHECK(evaluate_gates(comparison, gates, false).size() == 1);
  gates = {parse_gate("wall_s>0.4")};  // absolute, in seconds
  CHECK(evaluate_gates(comparison, gates, false).size() == 1);
}

TEST_CASE("a size gate trips on a move either way and a move from zero trips any relative gate") {
  const auto comparison = example();
  std::vector<Gate> gates = {parse_gate("|w|>0.0001")};
  CHECK(evaluate_gates(comparison, gates, false).size() == 1);
  gates = {parse_gate("|w|>0.01")};
  CHECK(evaluate_gates(comparison, gates, false).empty());
  gates = {parse_gate("|b|>1000%")};
  CHECK(evaluate_gates(comparison, gates, false).size() == 1);
}

TEST_CASE("a gate that names no compared metric is an error and not a pass") {
  const auto comparison = example();
  std::vector<Gate> gates = {parse_gate("tset_loss>+5%")};
  CHECK_THROWS_WITH(evaluate_gates(comparison, gates, false),
                    Contains("--fail-if 'tset_loss>+5%': \"tset_loss\" names no metric that was compared"));
}

TEST_CASE("a gate on a metric no configuration has on both sides (a probe one side did not take) is an error") {
  auto comparison = example();
  comparison.metrics.push_back("sharpness");  // asked for with --metric, but empty on one side: never compared
  std::vector<Gate> gates = {parse_gate("sharpness>+5%")};
  CHECK_THROWS_WITH(evaluate_gates(comparison, gates, false), Contains("names no metric that was compared"));
  comparison.matched.clear();  // nothing matched at all: no gate can pass by looking at nothing
  gates = {parse_gate("test_loss>+5%")};
  CHECK_THROWS_WITH(evaluate_gates(comparison, gates, false), Contains("no configuration has it on both sides"));
}
