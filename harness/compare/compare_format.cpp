#include "compare/compare_format.h"

#include "results/csv.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace bsweep {

bool CompareOutcome::failed() const {
  return !trips.empty() || !strict_failures().empty() || !divergence_failures().empty();
}

std::vector<std::string> CompareOutcome::divergence_failures() const {
  std::vector<std::string> failures;
  if (gates.empty() || allow_diverged) return failures;
  for (const auto& config : comparison.matched) {
    // A rising share: compared as next_diverged / next_runs > base_diverged / base_runs, in whole numbers.
    if (config.next_diverged * config.base_runs <= config.base_diverged * config.next_runs) continue;
    const std::size_t left = config.next_runs - config.next_failed;
    failures.push_back(fmt::format("{}: {} of {} runs in new diverged (base: {} of {}); the gates saw {}",
                                   config.label, config.next_diverged, config.next_runs, config.base_diverged,
                                   config.base_runs, left == 0 ? "no run of it" : fmt::format("only the {} that finished ok", left)));
  }
  return failures;
}

std::vector<std::string> CompareOutcome::strict_failures() const {
  std::vector<std::string> failures;
  if (!strict) return failures;
  for (const auto& config : comparison.only_base)
    failures.push_back(fmt::format("{}: in base only", config.label));
  for (const auto& config : comparison.only_next) failures.push_back(fmt::format("{}: in new only", config.label));
  for (const auto& config : comparison.matched)
    if (config.next_failed > 0)
      failures.push_back(fmt::format("{}: {} of {} runs in new did not finish ok", config.label, config.next_failed,
                                     config.next_runs));
  return failures;
}

namespace {

// Fields come from CSV files, whose bytes need not be UTF-8; JSON output replaces what is not (U+FFFD).
constexpr auto kReplaceBadUtf8 = nlohmann::json::error_handler_t::replace;

struct Scale {
  double factor;
  const char* suffix;
};

// The scale in which `magnitude` reads best for a unit; the suffix carries the unit.
Scale scale_for(double magnitude, const std::string& unit) {
  magnitude = std::fabs(magnitude);
  if (unit == "s") {
    if (magnitude >= 1 || magnitude == 0) return {1, " s"};
    if (magnitude >= 1e-3) return {1e3, " ms"};
    if (magnitude >= 1e-6) return {1e6, " µs"};
    return {1e9, " ns"};
  }
  if (unit == "bytes") {
    if (magnitude >= 1024.0 * 1024 * 1024) return {1.0 / (1024.0 * 1024 * 1024), " GiB"};
    if (magnitude >= 1024.0 * 1024) return {1.0 / (1024.0 * 1024), " MiB"};
    if (magnitude >= 1024.0) return {1.0 / 1024, " KiB"};
    return {1, " B"};
  }
  if (unit == "samples/s") return {1, "/s"};
  return {1, ""};
}

std::string significant_digits(double value) { return fmt::format("{:.4g}", value); }

}  // namespace

std::string format_summary(const Summary& summary, const std::string& unit) {
  const Scale scale = scale_for(summary.mean, unit);
  if (summary.count < 2) return significant_digits(summary.mean * scale.factor) + scale.suffix;
  // The spread needs two digits to be read; more would only be noise.
  return fmt::format("{} ± {:.2g}{}", significant_digits(summary.mean * scale.factor), summary.std * scale.factor,
                     scale.suffix);
}

std::string format_change(double relative) {
  if (std::isinf(relative)) return relative > 0 ? "up from 0" : "down from 0";
  const double percent = relative * 100;
  if (percent == 0) return "0%";
  if (std::fabs(percent) >= 0.01) return fmt::format("{:+.2f}%", percent);
  return fmt::format("{:+.2g}%", percent);
}

namespace {

std::string p_value_text(const MetricComparison& metric) {
  if (!metric.test) return "-";
  return fmt::format("{:.3g}", metric.test->p);
}

std::string test_text(const MetricComparison& metric) {
  if (!metric.test) return "-";
  return metric.test->method == TestMethod::exact ? "exact" : "normal";
}

std::string note_text(const MetricComparison& metric) {
  if (metric.significant) return "significant";
  if (metric.too_few_seeds) return "too few seeds";
  return "";
}

// One line of the table, before alignment; `tone` picks the colour of a significant change.
struct Line {
  std::vector<std::string> cells;
  enum class Tone { plain, better, worse, changed, faint } tone = Tone::plain;
};

std::vector<std::string> table_header() { return {"configuration", "metric", "base", "new", "change", "p", "test", ""}; }

std::vector<Line> table_lines(const Comparison& comparison) {
  std::vector<Line> lines;
  for (const auto& config : comparison.matched) {
    bool first = true;
    for (const auto& metric : config.metrics) {
      Line line;
      line.cells = {first ? config.label : "",  format_summary(metric.base, metric.unit),
                    format_summary(metric.next, metric.unit), format_change(metric.relative),
                    p_value_text(metric), test_text(metric), note_text(metric)};
      line.cells.insert(line.cells.begin() + 1, metric.metric);
      if (metric.significant) {
        const int better = better_direction(metric.metric);
        const int moved = metric.delta > 0 ? +1 : -1;
        line.tone = better == 0 ? Line::Tone::changed : better == moved ? Line::Tone::better : Line::Tone::worse;
      } else if (metric.too_few_seeds) {
        line.tone = Line::Tone::faint;
      }
      lines.push_back(std::move(line));
      first = false;
    }
  }
  return lines;
}

// Terminal columns a UTF-8 string takes (every code point one column: enough for ±, µ and ASCII).
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::string fill(width > display_width(text) ? width - display_width(text) : 0, ' ');
  return right ? fill + text : text + fill;
}

std::string colour_of(Line::Tone tone) {
  switch (tone) {
    case Line::Tone::better: return "\033[32m";
    case Line::Tone::worse: return "\033[31m";
    case Line::Tone::changed: return "\033[33m";
    case Line::Tone::faint: return "\033[2m";
    case Line::Tone::plain: return "";
  }
  return "";
}

std::size_t count_significant(const Comparison& comparison) {
  std::size_t count = 0;
  for (const auto& config : comparison.matched)
    for (const auto& metric : config.metrics) count += metric.significant;
  return count;
}

std::size_t count_metrics(const Comparison& comparison) {
  std::size_t count = 0;
  for (const auto& config : comparison.matched) count += config.metrics.size();
  return count;
}

bool any_too_few(const Comparison& comparison) {
  for (const auto& config : comparison.matched)
    for (const auto& metric : config.metrics)
      if (metric.too_few_seeds) return true;
  return false;
}

std::string runs_text(std::size_t runs) { return fmt::format("{} run{}", runs, runs == 1 ? "" : "s"); }

std::string side_text(const SideInfo& side) {
  return side.failed ? fmt::format("{} ({}, {} not ok)", side.source, runs_text(side.runs), side.failed)
                     : fmt::format("{} ({})", side.source, runs_text(side.runs));
}

// The notes under the table, shared by the terminal and markdown shapes; `bullet` starts each list item.
std::string notes(const CompareOutcome& outcome, const std::string& bullet) {
  const auto& comparison = outcome.comparison;
  std::string out;
  out += fmt::format("{} of {} compared metrics changed significantly (p < {}).\n", count_significant(comparison),
                     count_metrics(comparison), comparison.alpha);
  if (any_too_few(comparison))
    out += fmt::format("too few seeds: where a side has fewer than 2 runs there is no test, and with fewer than 4 "
                       "runs a side no change can reach p < 0.05 (the smallest p of n vs n runs is 2/C(2n, n)).\n");
  std::string failures;
  const auto failed_text = [](std::size_t failed, std::size_t diverged, std::size_t runs, const char* side) {
    if (failed == diverged) return fmt::format("{} of {} runs in {} diverged", diverged, runs, side);
    return fmt::format("{} of {} runs in {} did not finish ok{}", failed, runs, side,
                       diverged ? fmt::format(" ({} diverged)", diverged) : std::string());
  };
  for (const auto& config : comparison.matched) {
    if (config.base_failed)
      failures += fmt::format("{}{}: {}\n", bullet, config.label,
                              failed_text(config.base_failed, config.base_diverged, config.base_runs, "base"));
    if (config.next_failed)
      failures += fmt::format("{}{}: {}\n", bullet, config.label,
                              failed_text(config.next_failed, config.next_diverged, config.next_runs, "new"));
  }
  if (!failures.empty()) out += "\nRuns left out of the statistics (status not ok):\n" + failures;
  const auto list = [&](const std::vector<ConfigComparison>& configs, const char* title, bool base_side) {
    if (configs.empty()) return;
    out += fmt::format("\n{} ({}):\n", title, configs.size());
    for (const auto& config : configs)
      out += fmt::format("{}{} ({})\n", bullet, config.label, runs_text(base_side ? config.base_runs : config.next_runs));
  };
  list(comparison.only_base, "Only in base", true);
  list(comparison.only_next, "Only in new", false);
  if (!outcome.gates.empty()) {
    out += "\nGates:\n";
    for (const auto& gate : outcome.gates) {
      std::size_t tripped = 0;
      for (const auto& trip : outcome.trips) tripped += trip.gate == &gate;
      out += fmt::format("{}{}: {}\n", bullet, gate.text,
                         tripped ? fmt::format("FAILED ({} tripped)", tripped) : std::string("passed"));
      for (const auto& trip : outcome.trips) {
        if (trip.gate != &gate) continue;
        const std::string value = gate.relative ? fmt::format("{:+.4g}%", trip.value) : fmt::format("{:+.6g}", trip.value);
        out += fmt::format("    {} {}: {}\n", trip.label, trip.metric, value);
      }
    }
  }
  const auto diverged = outcome.divergence_failures();
  if (!diverged.empty()) {
    out += "\nDiverged: the gates fail where new lost more runs to divergence than base (--allow-diverged to gate on "
           "the survivors):\n";
    for (const auto& failure : diverged) out += bullet + failure + "\n";
  }
  const auto strict = outcome.strict_failures();
  if (!strict.empty()) {
    out += "\nStrict: the sweeps differ in shape:\n";
    for (const auto& failure : strict) out += bullet + failure + "\n";
  }
  return out;
}

// Lines that say what is compared and how; `end` ends each line.
std::string preamble(const Comparison& comparison, const std::string& end) {
  std::string ignored;
  for (const auto& name : comparison.ignored) ignored += (ignored.empty() ? " and " : ", ") + name;
  return fmt::format("base: {}{}", side_text(comparison.base), end) +
         fmt::format("new:  {}{}", side_text(comparison.next), end) +
         fmt::format("Runs matched on their configuration without the seed{}. Over seeds: mean ± sample std; p: "
                     "two-sided Mann-Whitney U (exact: no ties and a side of at most {} runs; normal: approximation "
                     "with tie correction).\n",
                     ignored,
                     kExactMaxSize);
}

}  // namespace

std::string format_compare_text(const CompareOutcome& outcome, bool colour) {
  const auto header = table_header();
  const auto lines = table_lines(outcome.comparison);
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
  for (const auto& line : lines)
    for (std::size_t c = 0; c < line.cells.size(); ++c) widths[c] = std::max(widths[c], display_width(line.cells[c]));
  // Numbers right-aligned, words left.
  const std::vector<bool> right = {false, false, true, true, true, true, false, false};
  const auto render = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      text += last ? cells[c] : pad(cells[c], widths[c], right[c]) + "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = preamble(outcome.comparison, "\n") + "\n";
  if (lines.empty()) out += "(no configuration is in both files)\n";
  else out += render(header);
  for (const auto& line : lines) {
    const std::string text = render(line.cells);
    const std::string start = colour ? colour_of(line.tone) : "";
    out += start.empty() ? text : start + text.substr(0, text.size() - 1) + "\033[0m\n";
  }
  out += "\n" + notes(outcome, "  ");
  if (colour && outcome.failed()) out += "\033[31mFAILED\033[0m\n";
  else out += outcome.failed() ? "FAILED\n" : (outcome.gates.empty() ? "" : "passed\n");
  return out;
}

std::string format_compare_markdown(const CompareOutcome& outcome) {
  std::string out = preamble(outcome.comparison, "  \n");  // two spaces: a line break inside a markdown paragraph
  out += "\n| configuration | metric | base | new | change | p | test | |\n|---|---|---:|---:|---:|---:|---|---|\n";
  for (const auto& line : table_lines(outcome.comparison)) {
    out += "|";
    for (std::size_t c = 0; c < line.cells.size(); ++c) {
      std::string cell = line.cells[c];
      if (c == line.cells.size() - 1 && !cell.empty() && line.tone != Line::Tone::faint) cell = "**" + cell + "**";
      out += " " + cell + " |";
    }
    out += "\n";
  }
  out += "\n" + notes(outcome, "- ");
  out += outcome.failed() ? "\n**FAILED**\n" : (outcome.gates.empty() ? "" : "\npassed\n");
  return out;
}

namespace {

std::string config_json(const Config& config) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [name, value] : config) object[name] = value;
  return object.dump(-1, ' ', false, kReplaceBadUtf8);
}

// Shortest round-trip text; inf and nan as fmt writes them.
std::string number(double value) { return fmt::format("{}", value); }

}  // namespace

std::string format_compare_csv(const CompareOutcome& outcome) {
  const auto& comparison = outcome.comparison;
  std::string out = csv_line({"match", "configuration", "config", "metric", "unit", "base_n", "base_mean", "base_std",
                              "new_n", "new_mean", "new_std", "delta", "relative_change", "u", "p_value", "test",
                              "significant", "too_few_seeds", "base_failed", "new_failed"});
  for (const auto& config : comparison.matched) {
    for (const auto& metric : config.metrics) {
      out += csv_line({"both", config.label, config_json(config.config), metric.metric, metric.unit,
                       std::to_string(metric.base.count), number(metric.base.mean), number(metric.base.std),
                       std::to_string(metric.next.count), number(metric.next.mean), number(metric.next.std),
                       number(metric.delta), number(metric.relative), metric.test ? number(metric.test->u1) : "",
                       metric.test ? number(metric.test->p) : "", metric.test ? to_string(metric.test->method) : "",
                       metric.significant ? "true" : "false", metric.too_few_seeds ? "true" : "false",
                       std::to_string(config.base_failed), std::to_string(config.next_failed)});
    }
  }
  const auto unmatched = [&](const std::vector<ConfigComparison>& configs, const char* match) {
    for (const auto& config : configs)
      out += csv_line({match, config.label, config_json(config.config), "", "",
                       config.base_runs ? std::to_string(config.base_runs) : "", "", "",
                       config.next_runs ? std::to_string(config.next_runs) : "", "", "", "", "", "", "", "", "", "",
                       std::to_string(config.base_failed), std::to_string(config.next_failed)});
  };
  unmatched(comparison.only_base, "base only");
  unmatched(comparison.only_next, "new only");
  return out;
}

std::string format_compare_json(const CompareOutcome& outcome) {
  using json = nlohmann::ordered_json;
  const auto& comparison = outcome.comparison;
  const auto finite = [](double value) { return std::isfinite(value) ? json(value) : json(); };
  const auto summary = [&](const Summary& s) { return json{{"n", s.count}, {"mean", s.mean}, {"std", s.std}}; };
  const auto config_object = [](const Config& config) {
    json object = json::object();
    for (const auto& [name, value] : config) object[name] = value;
    return object;
  };
  json out;
  out["base"] = {{"source", comparison.base.source}, {"runs", comparison.base.runs}, {"failed", comparison.base.failed}};
  out["new"] = {{"source", comparison.next.source}, {"runs", comparison.next.runs}, {"failed", comparison.next.failed}};
  out["alpha"] = comparison.alpha;
  out["matched_on"] = comparison.matched_on;
  out["ignored"] = comparison.ignored;
  out["metrics"] = comparison.metrics;
  out["configurations"] = json::array();
  for (const auto& config : comparison.matched) {
    json entry = {{"label", config.label}, {"config", config_object(config.config)},
                  {"base_runs", config.base_runs}, {"new_runs", config.next_runs},
                  {"base_failed", config.base_failed}, {"new_failed", config.next_failed},
                  {"base_diverged", config.base_diverged}, {"new_diverged", config.next_diverged}, {"metrics", json::array()}};
    for (const auto& metric : config.metrics) {
      json test;
      if (metric.test)
        test = {{"u", metric.test->u1}, {"p", metric.test->p}, {"method", to_string(metric.test->method)}};
      entry["metrics"].push_back({{"metric", metric.metric}, {"unit", metric.unit}, {"base", summary(metric.base)},
                                  {"new", summary(metric.next)}, {"delta", metric.delta},
                                  // JSON has no infinity: null where the base mean is 0 and the new one is not
                                  {"relative_change", finite(metric.relative)}, {"test", test},
                                  {"significant", metric.significant}, {"too_few_seeds", metric.too_few_seeds}});
    }
    out["configurations"].push_back(entry);
  }
  const auto unmatched = [&](const std::vector<ConfigComparison>& configs, bool base_side) {
    json list = json::array();
    for (const auto& config : configs)
      list.push_back({{"label", config.label}, {"config", config_object(config.config)},
                      {"runs", base_side ? config.base_runs : config.next_runs}});
    return list;
  };
  out["only_in_base"] = unmatched(comparison.only_base, true);
  out["only_in_new"] = unmatched(comparison.only_next, false);
  out["gates"] = json::array();
  for (const auto& gate : outcome.gates) {
    json tripped = json::array();
    for (const auto& trip : outcome.trips)
      if (trip.gate == &gate) tripped.push_back({{"label", trip.label}, {"metric", trip.metric}, {"value", trip.value}});
    out["gates"].push_back({{"gate", gate.text}, {"tripped", tripped}});
  }
  out["strict_failures"] = outcome.strict_failures();
  out["divergence_failures"] = outcome.divergence_failures();
  out["failed"] = outcome.failed();
  return out.dump(2, ' ', false, kReplaceBadUtf8) + "\n";
}

}  // namespace bsweep
