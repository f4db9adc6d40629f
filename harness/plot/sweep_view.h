// A results folder arranged for pictures: per task, one line per batch size (and per value of any other field
// the grid varies), holding the runs that finished ok and, apart, those that did not. Reads results files only
// (runs.csv, curves.csv, data.csv, manifest.json): it never trains and never draws data.
#pragma once

#include "results/runs_file.h"
#include "results/run_result.h"
#include "stats/summary.h"

#include <map>
#include <string>
#include <vector>

namespace bsweep {

struct PlotLine {
  std::string label;        // "batch 10", "batch full (1000)", then any other varying field: "batch 10, lr=0.02"
  std::string batch_label;  // "10", "full (1000)"
  double batch = 0;         // the batch size used: the x position in plots against batch size
  std::vector<std::size_t> ok_rows, failed_rows;  // runs.csv rows
};

struct PlotTask {
  std::string name, type;
  bool has_plane_data = false;  // data.csv holds its training set: the data can be drawn in the plane
  bool linear_model = false;    // its runs have a bias column b: one linear layer, whose line and path can be drawn
  bool has_test = false;
  bool classifier = false;
  std::vector<PlotLine> lines;  // by batch size, then grid order
};

struct SweepView {
  std::string source;  // the results folder
  std::string name;    // the grid's name
  RunsFile runs;
  std::string curves_path;
  CsvTable curves;
  std::map<std::string, std::vector<std::size_t>> curve_rows;  // run_id -> its curves.csv rows, in order
  std::string data_path;
  CsvTable data;                                               // data.csv (empty where the folder has none)
  std::map<std::string, std::vector<std::size_t>> data_rows;   // run_id -> its data.csv rows, in order
  std::string series_path;
  CsvTable series;                                             // probes.csv (empty where the folder has none)
  std::map<std::string, std::vector<std::size_t>> series_rows; // run_id -> its probes.csv rows, in order
  std::vector<PlotTask> tasks;
  std::size_t failed = 0;

  std::size_t curve_column(const std::string& name) const;
  double curve_number(std::size_t row, std::size_t column) const;  // NaN when empty
  std::string run_id(std::size_t run_row) const;
  // run_summary's answers, by line (lines stay where load_sweep_view put them): figures and claims ask for the
  // same summaries, each a sort of the line's runs.
  mutable std::map<std::pair<const PlotLine*, std::string>, Summary> summaries;
};

// A results folder (its runs.csv, curves.csv and manifest.json); InputError for what is missing or malformed.
SweepView load_sweep_view(const std::string& results);

struct BandPoint {
  double x, mean, std;
};
// Curve column `y` against `x` over the line's ok runs, averaged point by point (runs of one configuration log
// the same iterations; `x` is averaged too, for elapsed_s), each point over the runs that reached it (a run that
// met its target stops early). Points where y is empty are dropped.
std::vector<BandPoint> curve_band(const SweepView& view, const PlotLine& line, const std::string& x,
                                  const std::string& y);
// A runs.csv column over the line's ok runs: its values (empty fields left out), and their summary.
std::vector<double> run_values(const SweepView& view, const PlotLine& line, const std::string& column);
Summary run_summary(const SweepView& view, const PlotLine& line, const std::string& column);

// The training data of a run, from data.csv: the rows of the run of the same task, generator and seed that
// carried it; empty where none did (the run that draws it failed before drawing, or an older folder).
PlaneData training_data(const SweepView& view, std::size_t run_row);

}  // namespace bsweep
