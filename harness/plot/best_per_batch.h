// The best configuration per batch size, for the figures and the claims that judge against batch size.
#pragma once

#include "plot/sweep_view.h"

#include <string>
#include <vector>

namespace bsweep {

// Per batch size, the best line's mean of a runs.csv column over its ok runs (best: lowest when better < 0, else
// highest), i.e. minimised (or maximised) over the grid's other axes, as in Shallue et al.'s protocol. Lines where
// a run has no value are left out, and with `all_reached` those where a run missed the grid's target.
struct BatchPoint {
  double batch = 0, mean = 0;
  const PlotLine* line = nullptr;
};
std::vector<BatchPoint> best_per_batch(const SweepView& view, const PlotTask& task, const std::string& column,
                                       int better, bool all_reached = false);

}  // namespace bsweep
