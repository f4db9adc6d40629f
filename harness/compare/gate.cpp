#include "compare/gate.h"

#include "util/json_path.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>

namespace bsweep {

Gate parse_gate(const std::string& text) {
  static const std::regex grammar(R"(\s*(\|?)\s*([A-Za-z0-9_*?]+)\s*(\|?)\s*(>=|<=|>|<)\s*([^%\s]+)\s*(%?)\s*)");
  std::smatch parts;
  if (!std::regex_match(text, parts, grammar))
    throw InputError(fmt::format("--fail-if '{}': expected METRIC OP THRESHOLD, e.g. 'test_loss>+5%' or "
                                 "'|w|>0.001' (OP: >, >=, <, <=)",
                                 text));
  if (parts[1].length() != parts[3].length())
    throw InputError(fmt::format("--fail-if '{}': a bar on one side of the metric only; write |{}| for the size of "
                                 "the change",
                                 text, parts[2].str()));
  Gate gate;
  gate.text = text;
  gate.magnitude = parts[1].length() > 0;
  gate.metric = parts[2];
  const std::string op = parts[4];
  gate.op = op == ">"    ? Gate::Op::greater
            : op == ">=" ? Gate::Op::greater_equal
            : op == "<"  ? Gate::Op::less
                         : Gate::Op::less_equal;
  const std::string number = parts[5];
  try {
    std::size_t used = 0;
    gate.threshold = std::stod(number, &used);
    if (used != number.size() || !std::isfinite(gate.threshold)) throw std::invalid_argument(number);
  } catch (const std::exception&) {
    throw InputError(fmt::format("--fail-if '{}': threshold \"{}\" is not a number", text, number));
  }
  gate.relative = parts[6].length() > 0;
  return gate;
}

namespace {

bool holds(Gate::Op op, double value, double threshold) {
  switch (op) {
    case Gate::Op::greater: return value > threshold;
    case Gate::Op::greater_equal: return value >= threshold;
    case Gate::Op::less: return value < threshold;
    case Gate::Op::less_equal: return value <= threshold;
  }
  return false;
}

}  // namespace

std::vector<GateTrip> evaluate_gates(const Comparison& comparison, const std::vector<Gate>& gates,
                                     bool significant_only) {
  std::vector<GateTrip> trips;
  for (const auto& gate : gates) {
    // Compared: a configuration of both sides has the metric on both (a column empty on a side, a probe's that one
    // side did not take, is not compared, and a gate on it would pass without looking).
    bool named_something = false;
    for (const auto& config : comparison.matched)
      for (const auto& metric : config.metrics) named_something = named_something || metric_matches(gate.metric, metric.metric);
    if (!named_something)
      throw InputError(fmt::format("--fail-if '{}': \"{}\" names no metric that was compared (no configuration has "
                                   "it on both sides)", gate.text, gate.metric));
    for (const auto& config : comparison.matched) {
      for (const auto& metric : config.metrics) {
        if (!metric_matches(gate.metric, metric.metric)) continue;
        double value = gate.relative ? metric.relative * 100.0 : metric.delta;
        if (gate.magnitude) value = std::fabs(value);
        if (significant_only && !metric.significant) continue;
        if (holds(gate.op, value, gate.threshold)) trips.push_back({&gate, config.label, metric.metric, value});
      }
    }
  }
  return trips;
}

}  // namespace bsweep
