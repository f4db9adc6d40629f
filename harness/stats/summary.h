// Mean and sample standard deviation of a set of runs (e.g. one configuration over seeds).
#pragma once

#include <cstddef>
#include <vector>

namespace bsweep {

struct Summary {
  double mean = 0, std = 0;  // std: sample standard deviation (n - 1); 0 for a single value
  std::size_t count = 0;
};
Summary summarize(std::vector<double> values);  // independent of the values' order, bit for bit
// The same, of values already in ascending order (NaN last): no copy, no sort.
Summary summarize_sorted(const std::vector<double>& values);

}  // namespace bsweep
