#include "plot/figures.h"

#include "plot/best_per_batch.h"
#include "plot/gnuplot.h"
#include "plot/gnuplot_quote.h"
#include "stats/critical_batch.h"
#include "stats/line_fit.h"
#include "stats/summary.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <cctype>
#include <exception>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <limits>

namespace bsweep {
namespace fs = std::filesystem;

const std::vector<std::string>& figure_names() {
  static const std::vector<std::string> names = {"loss_epoch", "loss_iteration", "loss_time", "final_loss",
                                                 "cost",       "fit",            "path",
                                                 "grad_noise", "noise_scale",    "steps_to_target", "sharpness"};
  return names;
}

namespace {

// Okabe-Ito: told apart by colour-blind readers too; then a few more for long grids.
const char* colour(std::size_t i) {
  static const char* colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                  "#56B4E9", "#000000", "#999933", "#882255", "#44AA99"};
  return colours[i % (sizeof colours / sizeof *colours)];
}

std::string quote(const std::string& text) { return gnuplot_text(text); }

std::string terminal(const std::string& format, const std::string& path, int width, int height) {
  const std::string type = format == "svg" ? fmt::format("svg size {},{} dynamic background rgb 'white'", width, height)
                                           : fmt::format("pngcairo size {},{}", width, height);
  return fmt::format("set terminal {} enhanced font 'DejaVu Sans,11'\nset output {}\nset encoding utf8\n"
                     "set grid lc rgb '#dddddd'\nset border lc rgb '#444444'\n",
                     type, gnuplot_path(path));
}

std::string number(double value) { return fmt::format("{:.17g}", value); }

// A datablock of rows; a row of no values is a blank line (splot's grid rows).
std::string datablock(const std::string& name, const std::vector<std::vector<double>>& rows) {
  std::string out = fmt::format("${} << EOD\n", name);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? " " : "") + number(row[i]);
    out += "\n";
  }
  return out + "EOD\n";
}

// A panel with nothing to draw says so, instead of failing ("all points y value undefined").
std::string empty_plot(const std::string& why) {
  return fmt::format("set label 99 {} at graph 0.5, graph 0.5 center\nplot [1:10][1:10] NaN notitle\nunset label 99\n",
                     quote(why));
}

// y tics for a log axis over [low, high]: where that spans less than a decade gnuplot's own (powers of ten) leave
// the axis bare, so name evenly spaced round values inside it (steps of 1, 2 or 5 × 10^k, three to six of them).
std::string log_y_tics(double low, double high) {
  // A decade or more, or a spread too thin to name (a flat curve): gnuplot's own choice.
  if (!(low > 0) || !(high > low) || !std::isfinite(high) || high >= 10 * low || high - low < 1e-6 * high)
    return "set ytics autofreq\n";
  const double rough = (high - low) / 4, magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= rough) {
      step = m * magnitude;
      break;
    }
  // Whole multiples of the step inside the range: four or five of them by construction.
  std::string list;
  for (auto k = static_cast<long long>(std::ceil(low / step)); k <= static_cast<long long>(std::floor(high / step)); ++k)
    list += fmt::format("{}{:.3g}", list.empty() ? "" : ", ", static_cast<double>(k) * step);
  return list.empty() ? "set ytics autofreq\n" : "set ytics (" + list + ")\n";
}

std::string loss_name(const PlotTask& task) { return task.classifier ? "cross-entropy" : "MSE"; }

std::string legend(const PlotLine& line) {
  if (line.failed_rows.empty()) return line.label;
  return fmt::format("{} ({} of {} runs failed, left out)", line.label, line.failed_rows.size(),
                     line.failed_rows.size() + line.ok_rows.size());
}

std::size_t seeds_of(const PlotTask& task) {
  std::size_t most = 0;
  for (const auto& line : task.lines) most = std::max(most, line.ok_rows.size());
  return most;
}

std::string seeds_text(const PlotTask& task) {
  const auto seeds = seeds_of(task);
  return seeds > 1 ? fmt::format("mean over {} seeds ± 1 std", seeds) : "one seed";
}

std::string averaging(const PlotTask& task) {
  const auto seeds = seeds_of(task);
  return seeds > 1 ? fmt::format("mean over {} seeds, band ± 1 std", seeds) : "one seed";
}

// Band rows (x, mean, low, high) for a log y axis: where mean - std would not be positive the band stops at
// a tenth of the mean, so that gnuplot can draw it.
std::vector<std::vector<double>> band_rows(const std::vector<BandPoint>& band, bool log_x) {
  std::vector<std::vector<double>> rows;
  for (const auto& p : band) {
    if (log_x && p.x <= 0) continue;
    if (!(p.mean > 0)) continue;
    rows.push_back({p.x, p.mean, std::max(p.mean - p.std, p.mean / 10), p.mean + p.std});
  }
  return rows;
}

struct Panel {
  std::string xlabel, ylabel, x_column, y_column;
  bool log_x = false;
};

// Loss curves of every line of a task, in one or more panels side by side.
std::string curve_panels(const SweepView& view, const PlotTask& task, const std::vector<Panel>& panels) {
  std::string script;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const auto& panel = panels[p];
    std::string plots;
    double low = std::numeric_limits<double>::infinity(), high = 0;
    for (std::size_t i = 0; i < task.lines.size(); ++i) {
      const auto& line = task.lines[i];
      const auto rows = band_rows(curve_band(view, line, panel.x_column, panel.y_column), panel.log_x);
      if (rows.empty()) continue;
      for (const auto& row : rows) low = std::min(low, row[2]), high = std::max(high, row[3]);
      const std::string name = fmt::format("p{}l{}", p, i);
      script += datablock(name, rows);
      if (!plots.empty()) plots += ", \\\n  ";
      if (line.ok_rows.size() > 1)
        plots += fmt::format("${} using 1:3:4 with filledcurves fc rgb '{}' fs transparent solid 0.10 noborder notitle, ",
                             name, colour(i));
      plots += fmt::format("${} using 1:2 with lines lw 2 lc rgb '{}' title {}", name, colour(i),
                           p + 1 == panels.size() ? quote(legend(line)) : "''");
    }
    script += fmt::format("set xlabel {}\nset ylabel {}\nset logscale y\nset autoscale yfix\n{}\n{}", quote(panel.xlabel),
                          quote(panel.ylabel), panel.log_x ? "set logscale x" : "unset logscale x", log_y_tics(low, high));
    // Panels share the left 84 % of the page; the legend stands in the rest, over no curve.
    const double width = 0.84 / static_cast<double>(panels.size()), left = 0.06 + width * static_cast<double>(p);
    script += fmt::format("set lmargin at screen {:.3f}\nset rmargin at screen {:.3f}\n", left, left + width - 0.06);
    script += p + 1 == panels.size() ? "set key at screen 0.995, screen 0.88 right top box lc rgb '#cccccc' font ',9'\n"
                                     : "unset key\n";
    script += plots.empty() ? empty_plot("no run of this task ended ok") : "plot " + plots + "\n";
  }
  return script;
}

std::string multiplot(const std::string& title, std::size_t columns) {
  return fmt::format("set multiplot layout 1,{} title {} font ',13'\n", columns, quote(title));
}

std::string loss_epoch(const SweepView& view, const PlotTask& task) {
  std::vector<Panel> panels = {{"epoch", "training loss (" + loss_name(task) + ")", "epoch", "train_loss"}};
  if (task.has_test) panels.push_back({"epoch", "test loss (" + loss_name(task) + ")", "epoch", "test_loss"});
  return multiplot(fmt::format("{}: loss against epoch ({})", task.name, averaging(task)), panels.size()) +
         curve_panels(view, task, panels) + "unset multiplot\n";
}

// Training loss against a curve column on a log x axis; the title names `what` and ends in `point`.
std::string loss_against(const SweepView& view, const PlotTask& task, const std::string& x_column,
                         const std::string& xlabel, const std::string& what, const std::string& point) {
  return multiplot(fmt::format("{}: training loss against {} ({}): {}", task.name, what, averaging(task), point), 1) +
         curve_panels(view, task, {{xlabel, "training loss (" + loss_name(task) + ")", x_column, "train_loss", true}}) +
         "unset multiplot\n";
}

// xtics at the batch sizes, named as the grid names them.
std::string batch_tics(const PlotTask& task) {
  std::string tics;
  double last = -1;
  for (const auto& line : task.lines) {
    if (line.batch == last) continue;
    last = line.batch;
    tics += fmt::format("{}{} {}", tics.empty() ? "" : ", ", quote(line.batch_label), number(line.batch));
  }
  return "set xtics (" + tics + ") rotate by -45 font ',9'\nset logscale x\nset offsets graph 0.05, graph 0.1, 0, 0\n";
}

// One series per column: mean ± std over seeds against the batch size.
std::string against_batch(const PlotTask& task, const SweepView& view, const std::vector<std::string>& columns,
                          const std::vector<std::string>& titles, const std::string& block_prefix) {
  std::string script, plots;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<std::vector<double>> rows;
    for (const auto& line : task.lines) {
      const auto summary = run_summary(view, line, columns[c]);
      if (summary.count > 0 && summary.mean > 0) rows.push_back({line.batch, summary.mean, summary.std});
    }
    if (rows.empty()) continue;
    const std::string name = fmt::format("{}{}", block_prefix, c);
    script += datablock(name, rows);
    if (!plots.empty()) plots += ", ";
    plots += fmt::format("${} using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '{}' title {}", name, colour(c),
                         quote(titles[c]));
  }
  return script + (plots.empty() ? empty_plot("no value to draw") : "plot " + plots + "\n");
}

std::string failed_note(const PlotTask& task) {
  std::size_t failed = 0;
  for (const auto& line : task.lines) failed += line.failed_rows.size();
  return failed ? fmt::format(" ({} failed runs left out)", failed) : "";
}

// A log axis where the losses span a decade or more; within less, a log axis has no tic to read.
std::string y_axis(const SweepView& view, const PlotTask& task, const std::vector<std::string>& columns) {
  double lowest = std::numeric_limits<double>::infinity(), highest = 0;
  for (const auto& column : columns)
    for (const auto& line : task.lines) {
      const auto summary = run_summary(view, line, column);
      if (summary.count == 0 || !(summary.mean > 0)) continue;
      lowest = std::min(lowest, summary.mean), highest = std::max(highest, summary.mean);
    }
  const bool log = highest >= 10 * lowest;
  return fmt::format("set ylabel {}\n{}\nset key top left opaque box lc rgb '#cccccc'\n",
                     quote(fmt::format("final loss ({}{})", loss_name(task), log ? ", log scale" : "")),
                     log ? "set logscale y" : "unset logscale y");
}

std::string final_loss(const SweepView& view, const PlotTask& task) {
  std::vector<std::string> columns = {"final_train_loss"}, titles = {"training loss"};
  if (task.has_test) {
    columns.push_back("final_test_loss");
    titles.push_back("test loss (the gap to the training loss: generalization)");
  }
  return fmt::format("set title {} font ',13'\n", quote(fmt::format("{}: final loss against batch size ({}){}", task.name,
                                                                    seeds_text(task), failed_note(task)))) +
         batch_tics(task) + "set xlabel 'batch size (samples, log scale)'\n" +
         y_axis(view, task, columns) +
         against_batch(task, view, columns, titles, "f");
}

std::string cost(const SweepView& view, const PlotTask& task) {
  std::string script = multiplot(fmt::format("{}: what a batch size costs ({}){}", task.name, seeds_text(task),
                                             failed_note(task)),
                                 3);
  script += batch_tics(task) + "set xlabel 'batch size (samples)'\nset logscale y\nset key top left font ',9'\n";
  script += "set ylabel 'time per epoch (s)'\n" +
            against_batch(task, view, {"epoch_s"}, {"optimizer steps of one epoch"}, "ce");
  script += "set ylabel 'samples per second'\n" +
            against_batch(task, view, {"samples_per_s"}, {"training throughput"}, "cs");
  script += "set ylabel 'bytes'\nset format y '%.0s %cB'\n" +
            against_batch(task, view, {"step_peak_tensor_bytes", "peak_tensor_bytes"},
                          {"what a step adds (grows with the batch)", "peak live tensors"}, "cm");
  return script + "unset multiplot\n";
}

// The probes' figures (docs/claims.md, "Probes"); each is empty ("") where the sweep did not measure what it draws.

// Gradient noise against m at the final weights, as a fraction of tr(Sigma) so that runs combine: measured (mean
// +- std over the task's ok runs), the prediction (n - m)/((n - 1) m) of draws without replacement, the 1/m of
// independent draws, and the fitted power law.
std::string grad_noise(const SweepView& view, const PlotTask& task) {
  if (view.series.rows.empty()) return "";
  const auto quantity = find_column(view.series, "quantity"), m_col = find_column(view.series, "m");
  const auto value_col = find_column(view.series, "value"), iteration_col = find_column(view.series, "iteration");
  const auto trace_col = view.runs.find("grad_noise_trace"), n_col = view.runs.find("n_train");
  if (!quantity || !m_col || !value_col || !iteration_col || !trace_col || !n_col) return "";
  std::map<double, std::vector<double>> relative;  // m -> noise / tr(Sigma) of each run
  double n = 0;
  for (const auto& line : task.lines)
    for (auto r : line.ok_rows) {
      const auto trace = view.runs.number(r, *trace_col);
      const auto found = view.series_rows.find(view.run_id(r));
      if (!trace || !(*trace > 0) || found == view.series_rows.end()) continue;
      n = view.runs.required_number(r, *n_col);
      const auto& rows = found->second;
      const std::string last = view.series.rows[rows.back()][*iteration_col];
      for (auto s : rows) {
        const auto& row = view.series.rows[s];
        if (row[*iteration_col] != last || row[*quantity] != "grad_noise") continue;
        // load_sweep_view checked every number of probes.csv
        relative[std::strtod(row[*m_col].c_str(), nullptr)].push_back(std::strtod(row[*value_col].c_str(), nullptr) / *trace);
      }
    }
  if (relative.size() < 2) return "";
  std::vector<std::vector<double>> measured;
  std::vector<double> log_m, log_noise;
  for (const auto& [m, values] : relative) {
    const auto summary = summarize(values);
    measured.push_back({m, summary.mean, summary.std});
    log_m.push_back(std::log(m)), log_noise.push_back(std::log(summary.mean));
  }
  const auto fit = fit_line(log_m, log_noise);
  std::vector<std::vector<double>> predicted;
  const double low = measured.front()[0], high = measured.back()[0];
  for (int i = 0; i <= 60; ++i) {
    const double m = low * std::pow(high / low, i / 60.0);
    predicted.push_back({m, (n - m) / ((n - 1) * m), 1 / m, std::exp(fit.intercept) * std::pow(m, fit.slope)});
  }
  return datablock("noise", measured) + datablock("predicted", predicted) +
         fmt::format("set title {} font ',13'\n",
                     quote(fmt::format("{}: gradient noise against batch size m at the final weights (slope {:.2f})",
                                       task.name, fit.slope))) +
         "set logscale xy\nset xlabel 'm (samples in the batch, log scale)'\n"
         "set ylabel 'mean |g_B - G|^2 / tr(Sigma) (log scale)'\nset key bottom left box lc rgb '#cccccc'\n"
         "plot $noise using 1:2:3 with yerrorbars pt 7 lc rgb '#0072B2' title 'measured (mean over runs)', \
"
         "  $predicted using 1:2 with lines lw 2 lc rgb '#D55E00' title '(n - m) / ((n - 1) m): draws without replacement', \
"
         "  $predicted using 1:3 with lines dt 2 lc rgb '#999999' title '1/m: independent draws (standard deviation as 1/sqrt(m))', \
"
         "  $predicted using 1:4 with lines dt 3 lw 2 lc rgb '#009E73' title " +
         quote(fmt::format("fit: m^{{{:.2f}}}", fit.slope)) + "\n";
}

std::string noise_scale(const SweepView& view, const PlotTask& task) {
  const auto column = find_column(view.curves, "b_simple");
  if (!column) return "";
  std::size_t positive = 0, other = 0;
  for (const auto& line : task.lines)
    for (auto r : line.ok_rows) {
      const auto found = view.curve_rows.find(view.run_id(r));
      if (found == view.curve_rows.end()) continue;
      for (auto c : found->second) {
        const double value = view.curve_number(c, *column);
        if (std::isnan(value)) continue;
        ++(value > 0 ? positive : other);
      }
    }
  if (positive == 0) return "";
  // A two-batch estimate can come out at or below zero where the noise drowns the signal: a log axis cannot show it.
  const std::string dropped = other ? fmt::format("; {} estimates <= 0 not drawn", other) : "";
  return multiplot(fmt::format("{}: the gradient noise scale B_simple during training ({}{})", task.name,
                               averaging(task), dropped), 1) +
         curve_panels(view, task, {{"iteration (optimizer steps, log scale)", "B_simple (samples, log scale)",
                                    "iteration", "b_simple", true}}) +
         "unset multiplot\n";
}

// Steps to the target against batch size (best over the other axes), with the fit S_min + E_min / B.
std::string steps_to_target(const SweepView& view, const PlotTask& task) {
  if (!view.runs.find("steps_to_target")) return "";
  const auto points = best_per_batch(view, task, "steps_to_target", -1, true);
  std::vector<double> batch, steps;
  std::vector<std::vector<double>> rows;
  for (const auto& point : points)
    if (point.mean > 0) batch.push_back(point.batch), steps.push_back(point.mean), rows.push_back({point.batch, point.mean});
  if (rows.size() < 2) return "";
  const auto fit = fit_critical_batch(batch, steps);
  std::string script = datablock("steps", rows);
  std::string plots = "$steps using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'fewest steps to the target (best lr)'";
  if (fit.ok) {
    std::vector<std::vector<double>> curve;
    for (int i = 0; i <= 60; ++i) {
      const double b = batch.front() * std::pow(batch.back() / batch.front(), i / 60.0);
      curve.push_back({b, fit.s_min + fit.e_min / b});
    }
    script += datablock("fit", curve);
    plots += ", \
  $fit using 1:2 with lines dt 2 lw 2 lc rgb '#D55E00' title " +
             quote(fmt::format("S_min + E_min / B: S_min {:.3g}, E_min {:.3g}, B_crit {:.3g}", fit.s_min, fit.e_min,
                               fit.b_crit));
    script += fmt::format("set arrow from {0}, graph 0 to {0}, graph 1 nohead dt 3 lc rgb '#999999'\n", number(fit.b_crit));
  }
  return script + fmt::format("set title {} font ',13'\n",
                              quote(fmt::format("{}: steps to the target against batch size", task.name))) +
         batch_tics(task) + "set logscale y\nset xlabel 'batch size (samples, log scale)'\n"
         "set ylabel 'optimizer steps (log scale)'\nset key top right box lc rgb '#cccccc'\nplot " + plots + "\n";
}

std::string sharpness(const SweepView& view, const PlotTask& task) {
  if (!view.runs.find("sharpness") || best_per_batch(view, task, "sharpness", -1).empty()) return "";
  return fmt::format("set title {} font ',13'\n",
                     quote(fmt::format("{}: sharpness at the final weights against batch size ({})", task.name,
                                       seeds_text(task)))) +
         batch_tics(task) + "set xlabel 'batch size (samples, log scale)'\nset logscale y\n"
         "set ylabel 'top Hessian eigenvalue (log scale)'\nset key top left box lc rgb '#cccccc'\n" +
         against_batch(task, view, {"sharpness"}, {"largest eigenvalue of the training loss's Hessian"}, "sh");
}

// The column of a 1-feature task's weight: "w", or "w0" where a wider linear task shares the file.
std::string first_weight(const SweepView& view) { return view.runs.find("w") ? "w" : "w0"; }

// The runs of a linear 1-D task drawn in the plane: those of its smallest seed among runs that finished ok.
struct PlaneRuns {
  std::string seed;
  std::vector<std::pair<std::size_t, std::size_t>> rows;  // (line index, runs.csv row)
};

PlaneRuns plane_runs(const SweepView& view, const PlotTask& task) {
  PlaneRuns plane;
  const auto seed_col = view.runs.column("seed");
  double smallest = std::numeric_limits<double>::infinity();
  for (const auto& line : task.lines)
    for (auto r : line.ok_rows) smallest = std::min(smallest, view.runs.required_number(r, seed_col));
  for (std::size_t i = 0; i < task.lines.size(); ++i)
    for (auto r : task.lines[i].ok_rows)
      if (view.runs.required_number(r, seed_col) == smallest) {
        plane.seed = view.runs.text(r, seed_col);
        plane.rows.emplace_back(i, r);
        break;
      }
  return plane;
}

// The training data; for a linear model, with the line each batch size ends on and the least-squares line.
std::string fit(const SweepView& view, const PlotTask& task, const PlaneRuns& plane, const PlaneData& data) {
  std::vector<std::vector<double>> points;
  for (std::size_t i = 0; i < data.x.size(); ++i) points.push_back({data.x[i], data.y[i]});
  std::string script = datablock("data", points);
  const std::string title = fmt::format("{}: the training data (seed {}){}", task.name, plane.seed,
                                        task.linear_model ? " and the line each batch size ends on" : "");
  script += fmt::format("set title {} font ',13'\n", quote(title));
  script += "set xlabel 'x'\nset ylabel 'y'\nset key top left opaque box lc rgb '#cccccc' font ',9'\n";
  std::string plots = fmt::format("$data using 1:2 with points pt 7 ps 0.6 lc rgb '#a0a0a0' title {}",
                                  quote(fmt::format("training data ({} points)", data.x.size())));
  if (!task.linear_model) return script + "plot " + plots + "\n";
  const auto w_col = view.runs.column(first_weight(view)), b_col = view.runs.column("b");
  for (const auto& [i, r] : plane.rows) {
    const double w = view.runs.required_number(r, w_col), b = view.runs.required_number(r, b_col);
    plots += fmt::format(", {}*x + {} with lines lw 2 lc rgb '{}' title {}", number(w), number(b), colour(i),
                         quote(fmt::format("{}: w = {:.3f}, b = {:.3f}", task.lines[i].label, w, b)));
  }
  if (!plane.rows.empty()) {
    const auto r = plane.rows.front().second;
    const double w = view.runs.required_number(r, view.runs.column("lstsq_" + first_weight(view)));
    const double b = view.runs.required_number(r, view.runs.column("lstsq_b"));
    plots += fmt::format(", {}*x + {} with lines lw 2 dt 2 lc rgb '#000000' title {}", number(w), number(b),
                         quote(fmt::format("least squares: w = {:.3f}, b = {:.3f}", w, b)));
  }
  return script + "plot " + plots + "\n";
}

std::string path(const SweepView& view, const PlotTask& task, const PlaneRuns& plane, const PlaneData& data) {
  const auto w_col = view.curve_column(first_weight(view)), b_col = view.curve_column("b");
  std::string script, plots;
  double w_lo = 1e300, w_hi = -1e300, b_lo = 1e300, b_hi = -1e300;
  const auto widen = [&](double w, double b) {
    w_lo = std::min(w_lo, w), w_hi = std::max(w_hi, w), b_lo = std::min(b_lo, b), b_hi = std::max(b_hi, b);
  };
  std::string log_every;
  for (const auto& [i, r] : plane.rows) {
    std::vector<std::vector<double>> points;
    const auto found = view.curve_rows.find(view.run_id(r));
    if (found == view.curve_rows.end()) continue;
    for (auto c : found->second) {
      const double w = view.curve_number(c, w_col), b = view.curve_number(c, b_col);
      if (std::isnan(w) || std::isnan(b)) continue;
      points.push_back({w, b});
      widen(w, b);
    }
    if (points.empty()) continue;
    log_every = view.runs.text(r, view.runs.column("log_every"));
    const std::string name = fmt::format("path{}", i);
    script += datablock(name, points);
    plots += fmt::format(", ${} using 1:2 with linespoints lw 1.5 pt 7 ps 0.3 lc rgb '{}' title {}", name, colour(i),
                         quote(task.lines[i].label));
  }
  if (plots.empty()) return "";
  const auto r0 = plane.rows.front().second;
  const double lw = view.runs.required_number(r0, view.runs.column("lstsq_" + first_weight(view)));
  const double lb = view.runs.required_number(r0, view.runs.column("lstsq_b"));
  widen(lw, lb);
  const double pad_w = std::max(1e-3, 0.12 * (w_hi - w_lo)), pad_b = std::max(1e-3, 0.12 * (b_hi - b_lo));
  w_lo -= pad_w, w_hi += pad_w, b_lo -= pad_b, b_hi += pad_b;

  // The training loss (MSE) over the plane, from the data's sums: L(w, b) = mean((w x + b - y)^2).
  double n = static_cast<double>(data.x.size()), sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (std::size_t k = 0; k < data.x.size(); ++k) {
    sx += data.x[k], sy += data.y[k], sxx += data.x[k] * data.x[k], sxy += data.x[k] * data.y[k];
    syy += data.y[k] * data.y[k];
  }
  const auto loss = [&](double w, double b) {
    return (w * w * sxx + 2 * w * b * sx + b * b * n - 2 * w * sxy - 2 * b * sy + syy) / n;
  };
  std::vector<std::vector<double>> grid;
  const int steps = 90;
  for (int i = 0; i <= steps; ++i) {
    const double w = w_lo + (w_hi - w_lo) * i / steps;
    for (int j = 0; j <= steps; ++j) {
      const double b = b_lo + (b_hi - b_lo) * j / steps;
      grid.push_back({w, b, loss(w, b)});
    }
    grid.push_back({});
  }
  const double minimum = loss(lw, lb);
  std::string levels;
  for (double factor : {1.02, 1.1, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 300.0})
    levels += fmt::format("{}{}", levels.empty() ? "" : ",", number(minimum * factor));
  script += datablock("grid", grid);
  script += "set contour base\nset cntrparam levels discrete " + levels +
            "\nunset surface\nset view map\nset table $contours\nsplot $grid using 1:2:3 with lines notitle\n"
            "unset table\nunset contour\nset surface\n";
  const std::string spacing =
      log_every == "0" ? "a point at each epoch end" : fmt::format("a point every {} steps and at epoch ends", log_every);
  script += fmt::format("set title {} font ',13'\n",
                        quote(fmt::format("{}: the path of (w, b) during training (seed {}; {})\nover contours of the "
                                          "training loss",
                                          task.name, plane.seed, spacing)));
  script += fmt::format("set xrange [{}:{}]\nset yrange [{}:{}]\n", number(w_lo), number(w_hi), number(b_lo),
                        number(b_hi));
  script += "set xlabel 'w'\nset ylabel 'b'\nset key bottom right opaque box lc rgb '#cccccc' font ',9'\n";
  return script + "plot $contours using 1:2 with lines lc rgb '#c8c8c8' title 'training loss: 1.02, 1.1, 1.25, … 300 × its minimum'" +
         plots + fmt::format(", '+' using ({}):({}) with points pt 3 ps 2.5 lw 2 lc rgb '#000000' title 'least squares'\n",
                             number(lw), number(lb));
}

// A task none of whose runs ended ok gets this one figure: what became of its runs, instead of empty plots.
std::string no_results(const SweepView& view, const PlotTask& task) {
  std::map<std::string, std::size_t> statuses;
  std::size_t runs = 0;
  for (const auto& line : task.lines)
    for (auto r : line.failed_rows) ++statuses[view.runs.text(r, view.runs.column("status"))], ++runs;
  std::string counts;
  for (const auto& [status, count] : statuses) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, status);
  return fmt::format("set title {} font ',13'\nunset border\nunset tics\nunset key\n"
                     "set label 1 {} at screen 0.5, screen 0.55 center font ',12'\n"
                     "set label 2 {} at screen 0.5, screen 0.45 center\nplot [0:1][0:1] NaN notitle\n",
                     quote(fmt::format("{}: no run ended ok, so there is no curve to draw", task.name)),
                     quote(fmt::format("{} runs: {}", runs, counts)),
                     quote("their errors are in runs.csv (column error) and in bsweep report"));
}

// A file name for a task's figures: its name with anything but letters, digits, '.', '_' and '-' replaced, no
// leading dot, and distinct from the names already taken (a results folder may have been edited by hand).
std::string file_stem(const std::string& task_name, std::set<std::string>& taken) {
  std::string stem;
  for (char c : task_name)
    stem += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  while (!stem.empty() && stem.front() == '.') stem.erase(0, 1);
  if (stem.size() > 64) stem.resize(64);
  if (stem.empty()) stem = "task";
  std::string unique = stem;
  for (int i = 2; !taken.insert(unique).second; ++i) unique = fmt::format("{}-{}", stem, i);
  return unique;
}

// gnuplot opens its output as it finds it, following a link; so it draws into a file made here, exclusively and
// without following links, which then replaces `file` (rename replaces a link, never writes through it).
template <typename Draw>
void draw_into(const std::string& file, Draw&& draw) {
  const std::string temporary = (fs::path(file).parent_path() / ("." + fs::path(file).filename().string() + ".tmp")).string();
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw ResourceError(fmt::format("cannot create {}: {}", temporary, std::strerror(errno)));
  ::close(fd);
  try {
    draw(temporary);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  if (std::rename(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw ResourceError(fmt::format("cannot replace {}: {}", file, std::strerror(error)));
  }
}

}  // namespace

std::vector<Figure> draw_figures(const SweepView& view, const std::string& out_dir, const std::string& format) {
  find_gnuplot();  // before anything is written: without gnuplot there is nothing to draw
  fs::create_directories(out_dir);
  std::vector<Figure> figures;
  std::vector<std::pair<std::string, std::string>> scripts;  // by figure: (file, the script less its terminal)
  std::vector<std::pair<int, int>> sizes;
  std::set<std::string> stems;
  std::string stem;
  const auto draw = [&](const PlotTask& task, const std::string& name, const std::string& title, int width,
                        int height, const std::string& body) {
    if (body.empty()) return;
    const std::string file = (fs::path(out_dir) / fmt::format("{}_{}.{}", stem, name, format)).string();
    scripts.emplace_back(file, body);
    sizes.emplace_back(width, height);
    figures.push_back({file, task.name, title});
  };
  for (const auto& task : view.tasks) {
    stem = file_stem(task.name, stems);
    if (seeds_of(task) == 0) {
      draw(task, "no_results", "No run ended ok", 900, 400, no_results(view, task));
      continue;
    }
    draw(task, "loss_epoch", "Loss against epoch", task.has_test ? 1500 : 900, 560, loss_epoch(view, task));
    draw(task, "loss_iteration", "Loss against iterations", 1000, 600,
         loss_against(view, task, "iteration", "iteration (optimizer steps, log scale)",
                      "updates", "small batches take more steps"));
    draw(task, "loss_time", "Loss against wall-clock time", 1000, 600,
         loss_against(view, task, "elapsed_s", "training time (s, log scale; evaluation excluded)",
                      "training time", "who gets there first"));
    draw(task, "final_loss", "Final loss against batch size", 1000, 600, final_loss(view, task));
    draw(task, "cost", "Time, throughput and memory against batch size", 1650, 560, cost(view, task));
    draw(task, "grad_noise", "Gradient noise against batch size", 1000, 650, grad_noise(view, task));
    draw(task, "noise_scale", "The gradient noise scale during training", 1000, 600, noise_scale(view, task));
    draw(task, "steps_to_target", "Steps to the target against batch size", 1000, 650, steps_to_target(view, task));
    draw(task, "sharpness", "Sharpness against batch size", 1000, 600, sharpness(view, task));
    if (!task.has_plane_data) continue;
    const auto plane = plane_runs(view, task);
    if (plane.rows.empty()) continue;
    const auto data = training_data(view, plane.rows.front().second);
    if (data.x.empty()) continue;
    if (!task.linear_model) {
      draw(task, "data", "The training data", 1000, 650, fit(view, task, plane, data));
      continue;
    }
    draw(task, "fit", "The data and the fitted lines", 1000, 650, fit(view, task, plane, data));
    draw(task, "path", "The path of (w, b) over the loss contours", 1000, 800, path(view, task, plane, data));
  }
  // The scripts are written above, in one thread; gnuplot draws them a few at once (a figure of a large sweep
  // takes it a few tenths of a second). Every drawing is waited for; the first failure in figure order is told.
  const std::size_t at_once = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<void>> drawing;
  std::exception_ptr failure;
  const auto wait_for = [&](std::future<void>& done) {
    try {
      done.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  };
  for (std::size_t k = 0; k < scripts.size(); ++k) {
    if (drawing.size() >= at_once) wait_for(drawing[drawing.size() - at_once]);
    drawing.push_back(std::async(std::launch::async, [&, k] {
      const std::string& body = scripts[k].second;
      const int width = sizes[k].first, height = sizes[k].second;
      draw_into(scripts[k].first,
                [&](const std::string& into) { run_gnuplot(terminal(format, into, width, height) + body); });
    }));
  }
  for (std::size_t k = drawing.size() > at_once ? drawing.size() - at_once : 0; k < drawing.size(); ++k)
    wait_for(drawing[k]);
  if (failure) std::rethrow_exception(failure);
  return figures;
}

}  // namespace bsweep
