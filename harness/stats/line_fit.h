// Ordinary least squares of y on x: the slope of log(noise) against log(m), and the like.
#pragma once

#include <vector>

namespace bsweep {

struct LineFit {
  double slope = 0, intercept = 0;
  bool ok = false;  // false with fewer than two distinct x
};

LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace bsweep
