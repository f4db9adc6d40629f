#include "stats/critical_batch.h"

#include <algorithm>
#include <cmath>

namespace bsweep {

CriticalBatchFit fit_critical_batch(const std::vector<double>& batch_sizes, const std::vector<double>& steps) {
  CriticalBatchFit fit;
  const std::size_t n = std::min(batch_sizes.size(), steps.size());
  if (n < 2) return fit;
  // Minimise sum_i w_i (S_i - a - c u_i)^2 with u_i = 1/B_i, w_i = 1/S_i^2: the 2x2 normal equations.
  double sw = 0, su = 0, suu = 0, ss = 0, sus = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(steps[i] > 0) || !(batch_sizes[i] > 0)) return fit;
    const double w = 1 / (steps[i] * steps[i]), u = 1 / batch_sizes[i];
    sw += w, su += w * u, suu += w * u * u, ss += w * steps[i], sus += w * u * steps[i];
  }
  const double det = sw * suu - su * su;
  if (!(std::abs(det) > 0)) return fit;
  fit.s_min = (ss * suu - su * sus) / det;
  fit.e_min = (sw * sus - su * ss) / det;
  fit.ok = fit.s_min > 0 && fit.e_min > 0;
  fit.b_crit = fit.ok ? fit.e_min / fit.s_min : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double predicted = fit.s_min + fit.e_min / batch_sizes[i];
    fit.max_relative_error = std::max(fit.max_relative_error, std::abs(predicted / steps[i] - 1));
  }
  return fit;
}

}  // namespace bsweep
