// The critical batch size from steps to a target (McCandlish et al. 2018; Shallue et al. 2019's protocol): for
// each batch size B the fewest steps S(B) to reach the target (best over the other axes), fitted by
//   (S / S_min - 1)(E / E_min - 1) = 1,  E = S B  (samples),
// which is S(B) = S_min + E_min / B: linear in 1/B. B_crit = E_min / S_min: below it, doubling the batch nearly
// halves the steps; above it, it barely saves any.
#pragma once

#include <vector>

namespace bsweep {

struct CriticalBatchFit {
  double s_min = 0, e_min = 0, b_crit = 0;
  double max_relative_error = 0;  // max over points of |S_fit(B) / S(B) - 1|
  bool ok = false;                // at least two batch sizes, S_min > 0 and E_min > 0
};

// Least squares in relative terms (each point weighted 1/S^2), so that large step counts at small batches do not
// drown the rest.
CriticalBatchFit fit_critical_batch(const std::vector<double>& batch_sizes, const std::vector<double>& steps);

}  // namespace bsweep
