#include "stats/summary.h"

#include <algorithm>
#include <cmath>

namespace bsweep {

Summary summarize(std::vector<double> values) {
  // Summed in sorted order: the same values give the same mean and std to the last bit, whatever order the rows of
  // a results file come in (completion order differs between machines and merges).
  // NaN (a curve point of a run that diverged) sorts last, so that the order stays a strict weak one.
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return a < b || (!std::isnan(a) && std::isnan(b)); });
  return summarize_sorted(values);
}

Summary summarize_sorted(const std::vector<double>& values) {
  Summary summary;
  summary.count = values.size();
  if (values.empty()) return summary;
  for (double v : values) summary.mean += v;
  summary.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    double squares = 0;
    for (double v : values) squares += (v - summary.mean) * (v - summary.mean);
    summary.std = std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  return summary;
}

}  // namespace bsweep
