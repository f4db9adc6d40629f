// The figures of `bsweep plot`, each a gnuplot script over a SweepView, written as
// DIR/<task>_<figure>.<png|svg>. Failed runs are never drawn: lines leave them out and their legends say so.
#pragma once

#include "plot/sweep_view.h"

#include <string>
#include <vector>

namespace bsweep {

struct Figure {
  std::string path;     // the file written
  std::string task;
  std::string title;    // what it shows, for the report
};

// The figure names, in the order they are drawn and described in docs/pictures.md.
const std::vector<std::string>& figure_names();

// Draws every figure of every task (the linear 1-D ones only where the task is linear with one feature).
std::vector<Figure> draw_figures(const SweepView& view, const std::string& out_dir, const std::string& format);

}  // namespace bsweep
