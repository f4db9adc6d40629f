#include "report/claims.h"

#include "stats/critical_batch.h"
#include "stats/line_fit.h"
#include "stats/mann_whitney.h"
#include "stats/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace bsweep {
namespace {

// The notes' words for the claims whose verdict has more than one outcome path.
constexpr const char* kNoiseClaim =
    "the uncertainty of the gradient falls by a factor of only O(sqrt(m)) with m examples in a batch";
constexpr const char* kDiminishingClaim =
    "start with a small batch size, then increase until you see diminishing returns";

// The fewest seeds a batch size needs before the sharpness of its minima says anything about batch sizes.
constexpr std::size_t kMinSharpnessSeeds = 3;

bool has_values(const SweepView& view, const PlotTask& task, const std::string& column) {
  const auto at = view.runs.find(column);
  if (!at) return false;
  for (const auto& line : task.lines)
    for (auto r : line.ok_rows)
      if (!view.runs.empty(r, *at)) return true;
  return false;
}

std::string batch_text(double batch) { return fmt::format("{:g}", batch); }

// Spearman's rank correlation (ties share their mean rank).
double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (std::size_t i = 0; i < order.size();) {
      std::size_t j = i;
      while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
      for (std::size_t k = i; k <= j; ++k) rank[order[k]] = (static_cast<double>(i + j) / 2) + 1;
      i = j + 1;
    }
    return rank;
  };
  const auto rx = ranks(x), ry = ranks(y);
  const auto sx = summarize(rx), sy = summarize(ry);
  double covariance = 0;
  for (std::size_t i = 0; i < rx.size(); ++i) covariance += (rx[i] - sx.mean) * (ry[i] - sy.mean);
  covariance /= static_cast<double>(rx.size() - 1);
  return sx.std > 0 && sy.std > 0 ? covariance / (sx.std * sy.std) : 0;
}

double median(std::vector<double> v) {  // NaN for none
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<double> all_values(const SweepView& view, const PlotTask& task, const std::string& column) {
  std::vector<double> out;
  for (const auto& line : task.lines) {
    const auto v = run_values(view, line, column);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::optional<Verdict> iterations_claim(const SweepView& view, const PlotTask& task) {
  const auto n_col = view.runs.column("n_train"), ipe_col = view.runs.column("iterations_per_epoch");
  const auto drop_col = view.runs.column("drop_last");
  std::vector<std::string> examples;
  bool every = true;
  std::size_t checked = 0;
  for (const auto& line : task.lines) {
    for (auto r : line.ok_rows) {
      const double n = view.runs.required_number(r, n_col), iterations = view.runs.required_number(r, ipe_col);
      const double expected = view.runs.text(r, drop_col) == "true" ? std::floor(n / line.batch) : std::ceil(n / line.batch);
      every = every && iterations == expected;
      ++checked;
    }
    const auto label = fmt::format("B = {}: ", line.batch_label);
    const bool listed = std::any_of(examples.begin(), examples.end(), [&](const std::string& e) { return e.rfind(label, 0) == 0; });
    if (!line.ok_rows.empty() && examples.size() < 4 && !listed)
      examples.push_back(fmt::format("B = {}: {:g}", line.batch_label, view.runs.required_number(line.ok_rows.front(), ipe_col)));
  }
  if (checked == 0) return std::nullopt;
  return Verdict{task.name, "batch size x iterations = epoch: an epoch takes n / B iterations",
                 fmt::format("iterations per epoch in {} runs equal ceil(n / B) (floor with drop_last): {}", checked,
                             fmt::join(examples, ", ")),
                 every ? Outcome::holds : Outcome::does_not_hold, "loss_iteration"};
}

std::optional<Verdict> noise_claim(const SweepView& view, const PlotTask& task) {
  if (!has_values(view, task, "grad_noise_slope_fpc")) return std::nullopt;
  const double slope = median(all_values(view, task, "grad_noise_slope"));
  const double slope_fpc = median(all_values(view, task, "grad_noise_slope_fpc"));
  const double error = median(all_values(view, task, "grad_noise_fpc_error"));
  if (std::isnan(slope) || std::isnan(slope_fpc) || std::isnan(error))
    return Verdict{task.name, kNoiseClaim,
                   "the gradient noise probe left no slope to judge (fewer than two of its batch sizes below n_train, "
                   "or columns left empty)", Outcome::unclear, "grad_noise"};
  const bool holds = std::abs(slope_fpc + 1) <= 0.1;
  return Verdict{task.name,
                 kNoiseClaim,
                 fmt::format("at the final weights, log(noise) against log(m) has slope {:.3f} (median over runs; "
                             "-1 means the variance falls as 1/m, the standard deviation as 1/sqrt(m)); {:.3f} after "
                             "the finite-sample factor (n - m)/(n - 1); measured within {:.0f}% of tr(Sigma)/m x "
                             "(n - m)/(n - 1) (median of the largest deviation over m)",
                             slope, slope_fpc, 100 * error),
                 holds ? Outcome::holds : Outcome::does_not_hold, "grad_noise"};
}

std::optional<Verdict> generalization_claim(const SweepView& view, const PlotTask& task) {
  if (!task.has_test) return std::nullopt;
  const auto points = best_per_batch(view, task, "final_test_loss", -1);
  if (points.size() < 2) return std::nullopt;
  const auto& small = points.front();
  const auto& large = points.back();
  const auto a = run_values(view, *small.line, "final_test_loss"), b = run_values(view, *large.line, "final_test_loss");
  const double p = a.size() >= 2 && b.size() >= 2 ? mann_whitney_u(a, b).p : 1;
  const bool enough = a.size() >= 4 && b.size() >= 4;
  Outcome outcome = Outcome::unclear;
  if (enough && p < 0.05) outcome = small.mean < large.mean ? Outcome::holds : Outcome::does_not_hold;
  std::string budget = has_values(view, task, "steps_to_target") ? "at the target" : "at equal budgets";
  return Verdict{task.name, "smaller batch sizes often lead to models that generalize better",
                 fmt::format("final test loss {} (best over the other axes, mean over seeds): {:.4g} at batch {} "
                             "against {:.4g} at batch {} (Mann-Whitney p = {:.3g}{})",
                             budget, small.mean, batch_text(small.batch), large.mean, batch_text(large.batch), p,
                             enough ? "" : "; fewer than 4 seeds a side cannot reach p < 0.05"),
                 outcome, "final_loss"};
}

std::optional<Verdict> sharpness_claim(const SweepView& view, const PlotTask& task) {
  if (!has_values(view, task, "sharpness")) return std::nullopt;
  const auto points = best_per_batch(view, task, "sharpness", -1);
  if (points.size() < 3) return std::nullopt;
  std::vector<double> batch, sharp;
  for (const auto& point : points) batch.push_back(point.batch), sharp.push_back(point.mean);
  const double rho = spearman(batch, sharp);
  const auto converged = all_values(view, task, "sharpness_converged");
  const auto unconverged = static_cast<std::size_t>(std::count(converged.begin(), converged.end(), 0.0));
  // "Consistently" is a claim about seeds: a correlation of one seed's minima could be that seed's luck.
  std::size_t fewest = std::numeric_limits<std::size_t>::max();
  double fewest_at = 0;
  for (const auto& point : points) {
    const auto seeds = run_values(view, *point.line, "sharpness").size();
    if (seeds < fewest) fewest = seeds, fewest_at = point.batch;
  }
  const bool enough = fewest >= kMinSharpnessSeeds;
  const Outcome outcome = !enough ? Outcome::unclear
                          : rho >= 0.5 ? Outcome::holds
                          : rho <= -0.5 ? Outcome::does_not_hold
                                        : Outcome::unclear;
  return Verdict{task.name, "small-batch methods consistently converge to flat minimizers",
                 fmt::format("top Hessian eigenvalue at the final weights: {:.4g} at batch {}, {:.4g} at batch {}; "
                             "Spearman correlation with the batch size {:.2f} over {} batch sizes{}{}",
                             points.front().mean, batch_text(points.front().batch), points.back().mean,
                             batch_text(points.back().batch), rho, points.size(),
                             unconverged ? fmt::format(" ({} runs' power iteration did not converge)", unconverged) : "",
                             enough ? "" : fmt::format("; only {} seed{} at batch {}: \"consistently\" needs at "
                                                       "least {} a batch size", fewest, fewest == 1 ? "" : "s",
                                                       batch_text(fewest_at), kMinSharpnessSeeds)),
                 outcome, "sharpness"};
}

std::optional<Verdict> speed_claim(const SweepView& view, const PlotTask& task) {
  const auto points = best_per_batch(view, task, "samples_per_s", +1);
  if (points.size() < 2 || points.front().batch >= 32) return std::nullopt;
  const BatchPoint* at_32 = nullptr;
  for (const auto& point : points)
    if (point.batch >= 32 && !at_32) at_32 = &point;
  if (!at_32) return std::nullopt;
  const double ratio = at_32->mean / points.front().mean;
  return Verdict{task.name, "under 32 it might get too slow, not exploiting vectorization",
                 fmt::format("training samples per second: {:.3g} at batch {}, {:.3g} at batch {} ({:.1f}x), {:.3g} at "
                             "batch {}",
                             points.front().mean, batch_text(points.front().batch), at_32->mean,
                             batch_text(at_32->batch), ratio, points.back().mean, batch_text(points.back().batch)),
                 ratio >= 2 ? Outcome::holds : Outcome::does_not_hold, "cost"};
}

// O(m): at the larger half of the batch sizes (at least three), where the activations outweigh the fixed part (the
// gradients, the parameters' share), the bytes a step adds grow as B^s with s near 1.
std::optional<Verdict> memory_claim(const SweepView& view, const PlotTask& task) {
  std::vector<double> batch, bytes;
  for (const auto& point : best_per_batch(view, task, "step_peak_tensor_bytes", -1))
    if (point.mean > 0) batch.push_back(point.batch), bytes.push_back(point.mean);
  if (batch.size() < 4) return std::nullopt;
  const std::size_t from = std::min(batch.size() / 2, batch.size() - 3);
  std::vector<double> log_b, log_bytes;
  for (std::size_t i = from; i < batch.size(); ++i) log_b.push_back(std::log(batch[i])), log_bytes.push_back(std::log(bytes[i]));
  const auto fit = fit_line(log_b, log_bytes);
  return Verdict{task.name, "with m examples in a batch you need O(m) memory",
                 fmt::format("tensor memory a step adds grows as B^{:.2f} from batch {} to {} ({:.3g} to {:.3g} bytes, "
                             "{:.3g} bytes per sample at the largest); below, a fixed part weighs in: {:.3g} bytes at batch {}",
                             fit.slope, batch_text(batch[from]), batch_text(batch.back()), bytes[from], bytes.back(),
                             bytes.back() / batch.back(), bytes.front(), batch_text(batch.front())),
                 std::abs(fit.slope - 1) <= 0.15 ? Outcome::holds : Outcome::does_not_hold, "cost"};
}

std::optional<Verdict> critical_batch_claim(const SweepView& view, const PlotTask& task) {
  if (!has_values(view, task, "steps_to_target")) return std::nullopt;
  const auto points = best_per_batch(view, task, "steps_to_target", -1, true);
  if (points.size() < 3) return std::nullopt;
  std::vector<double> batch, steps;
  for (const auto& point : points) batch.push_back(point.batch), steps.push_back(point.mean);
  if (*std::min_element(steps.begin(), steps.end()) <= 0)
    return Verdict{task.name, kDiminishingClaim,
                   "the target was met before the first step: choose a harder target", Outcome::unclear,
                   "steps_to_target"};
  const auto fit = fit_critical_batch(batch, steps);
  std::string noise;
  if (has_values(view, task, "b_simple")) {
    const double b_simple = median(all_values(view, task, "b_simple"));
    noise = fit.ok ? fmt::format("; the gradient noise scale B_simple is {:.3g} (median at the end of training), "
                                 "{:.2f}x B_crit", b_simple, b_simple / fit.b_crit)
                   : fmt::format("; the gradient noise scale B_simple is {:.3g} (median at the end of training)", b_simple);
  }
  const bool holds = fit.ok && fit.max_relative_error <= 0.3;
  return Verdict{task.name, kDiminishingClaim,
                 fit.ok ? fmt::format("steps to the target (best lr per batch): {:g} at batch {}, {:g} at batch {}; fit "
                                      "(S/S_min - 1)(E/E_min - 1) = 1 gives S_min = {:.3g} steps, E_min = {:.3g} samples, "
                                      "critical batch B_crit = {:.3g} (fit within {:.0f}% of every point){}",
                                      steps.front(), batch_text(batch.front()), steps.back(), batch_text(batch.back()),
                                      fit.s_min, fit.e_min, fit.b_crit, 100 * fit.max_relative_error, noise)
                        : fmt::format("steps to the target do not follow S_min + E_min / B over {} batch sizes{}",
                                      points.size(), noise),
                 holds ? Outcome::holds : Outcome::does_not_hold, "steps_to_target"};
}

// With several lr_scaling rules in the grid: at the largest batch, which rule comes closest to the smallest batch's
// final training loss at the unscaled lr (Goyal et al.: large batch with a scaled lr matches small batch).
std::optional<Verdict> lr_rule_claim(const SweepView& view, const PlotTask& task) {
  const auto rule_col = view.runs.find("lr_scaling");
  if (!rule_col) return std::nullopt;
  std::map<std::string, std::map<double, double>> loss_of;  // rule -> batch -> best mean final training loss
  for (const auto& line : task.lines) {
    if (line.ok_rows.empty() || !line.failed_rows.empty()) continue;
    const std::string rule = view.runs.text(line.ok_rows.front(), *rule_col);
    const double mean = run_summary(view, line, "final_train_loss").mean;
    auto& best = loss_of[rule];
    if (!best.count(line.batch) || mean < best[line.batch]) best[line.batch] = mean;
  }
  if (loss_of.size() < 2 || !loss_of.count("none")) return std::nullopt;
  const auto& plain = loss_of["none"];
  const double small_batch = plain.begin()->first, large_batch = plain.rbegin()->first;
  if (small_batch == large_batch) return std::nullopt;
  const double reference = plain.begin()->second;
  std::string best_rule;
  double best_loss = 0;
  std::vector<std::string> parts;
  for (const auto& [rule, by_batch] : loss_of) {
    const auto found = by_batch.find(large_batch);
    if (found == by_batch.end()) continue;
    parts.push_back(fmt::format("{} {:.4g}", rule, found->second));
    if (best_rule.empty() || found->second < best_loss) best_rule = rule, best_loss = found->second;
  }
  const bool holds = best_rule != "none" && best_loss <= 1.1 * reference;
  return Verdict{task.name, "a large batch with the learning rate scaled up trains as well as a small batch",
                 fmt::format("final training loss at batch {}: {} (lr rule: loss); at batch {} with the grid's lr: "
                             "{:.4g}; the best rule at the large batch is {}",
                             batch_text(large_batch), fmt::join(parts, ", "), batch_text(small_batch), reference,
                             best_rule),
                 holds ? Outcome::holds : Outcome::does_not_hold, "final_loss"};
}

}  // namespace

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::holds: return "holds";
    case Outcome::does_not_hold: return "does not hold";
    case Outcome::unclear: return "unclear";
  }
  return "";
}

std::vector<Verdict> assess_claims(const SweepView& view) {
  std::vector<Verdict> verdicts;
  using Assessor = std::optional<Verdict> (*)(const SweepView&, const PlotTask&);
  const Assessor assessors[] = {iterations_claim, noise_claim,   generalization_claim, sharpness_claim,
                                speed_claim,      memory_claim,  critical_batch_claim, lr_rule_claim};
  for (const auto& task : view.tasks)
    for (const auto assess : assessors)
      if (auto verdict = assess(view, task)) verdicts.push_back(*verdict);
  return verdicts;
}

std::vector<Advice> advise(const SweepView& view) {
  std::vector<Advice> out;
  for (const auto& task : view.tasks) {
    Advice advice{task.name};
    const auto times = best_per_batch(view, task, "seconds_to_target", -1, true);
    const auto steps = best_per_batch(view, task, "steps_to_target", -1, true);
    const bool met_at_start = std::any_of(steps.begin(), steps.end(), [](const BatchPoint& p) { return p.mean <= 0; });
    if (times.size() >= 2 && !met_at_start) {
      double best = times.front().mean;
      for (const auto& point : times) best = std::min(best, point.mean);
      for (const auto& point : times)
        if (point.mean <= 1.1 * best) {
          advice.time_batch = point.batch;
          break;
        }
    }
    if (task.has_test) {
      const auto losses = best_per_batch(view, task, "final_test_loss", -1);
      if (losses.size() >= 2) {
        double best = losses.front().mean;
        for (const auto& point : losses) best = std::min(best, point.mean);
        bool past_best = false;
        advice.test_batch = losses.back().batch;
        for (std::size_t i = 0; i < losses.size(); ++i) {
          past_best = past_best || losses[i].mean == best;
          if (past_best && losses[i].mean > 1.05 * best) {
            advice.test_batch = losses[i - 1].batch;
            advice.test_worsens = true;
            break;
          }
        }
      }
    }
    if (advice.time_batch > 0 || advice.test_batch > 0) out.push_back(advice);
  }
  return out;
}

std::string format_claims(const std::vector<Verdict>& verdicts, const std::vector<Advice>& advice) {
  std::string out;
  std::string task;
  for (const auto& verdict : verdicts) {
    if (verdict.task != task) {
      task = verdict.task;
      out += fmt::format("{}task {}\n", out.empty() ? "" : "\n", task);
    }
    out += fmt::format("  [{}] \"{}\"\n      {}\n", to_string(verdict.outcome), verdict.claim, verdict.measured);
  }
  for (const auto& a : advice) {
    out += fmt::format("{}advice for task {}:\n", out.empty() ? "" : "\n", a.task);
    if (a.time_batch > 0)
      out += fmt::format("  past batch {} the time to the target stops improving (within 10% of the fastest)\n",
                         batch_text(a.time_batch));
    if (a.test_batch > 0)
      out += a.test_worsens
                 ? fmt::format("  past batch {} the test loss worsens (more than 5% above the best)\n", batch_text(a.test_batch))
                 : fmt::format("  up to batch {}, the largest, the test loss stays within 5% of the best\n",
                               batch_text(a.test_batch));
  }
  if (out.empty()) out = "this sweep measured nothing the notes' claims speak of (see experiments/claims/)\n";
  return out;
}

}  // namespace bsweep
