#include "stats/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace bsweep {

std::string to_string(TestMethod method) { return method == TestMethod::exact ? "exact" : "asymptotic"; }

namespace {

// Number of arrangements of n1 x's and n2 y's whose statistic U equals each u in [0, n1 n2], by the
// recurrence c(n1, n2, u) = c(n1 - 1, n2, u - n2) + c(n1, n2 - 1, u): whether the largest value is an x (it
// then beats all n2 y's) or a y. Doubles hold the counts exactly well past the sizes used here.
std::vector<double> u_counts(std::size_t n1, std::size_t n2) {
  // table[j][u] = counts for (i, j) as i grows row by row.
  std::vector<std::vector<double>> table(n2 + 1);
  for (std::size_t j = 0; j <= n2; ++j) table[j] = {1.0};  // i = 0: one arrangement, U = 0
  for (std::size_t i = 1; i <= n1; ++i) {
    std::vector<std::vector<double>> next(n2 + 1);
    next[0] = {1.0};  // j = 0: U = 0
    for (std::size_t j = 1; j <= n2; ++j) {
      next[j].assign(i * j + 1, 0.0);
      for (std::size_t u = 0; u < table[j].size(); ++u) next[j][u + j] += table[j][u];  // largest is an x
      for (std::size_t u = 0; u < next[j - 1].size(); ++u) next[j][u] += next[j - 1][u];  // largest is a y
    }
    table = std::move(next);
  }
  return table[n2];
}

// 1 - Phi(z) for the standard normal.
double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

MannWhitney mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> xs(x), ys(y);
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  return mann_whitney_u_sorted(xs, ys);
}

MannWhitney mann_whitney_u_sorted(const std::vector<double>& xs, const std::vector<double>& ys) {
  if (xs.empty() || ys.empty()) throw std::invalid_argument("mann_whitney_u: a sample is empty");
  const std::size_t n1 = xs.size(), n2 = ys.size(), n = n1 + n2;

  // Average ranks of the pooled sample, and the sizes of the groups of ties: the two sorted samples walked
  // together, a group of equal values at a time (as a sort of the pooled sample would order them).
  double rank_sum_x = 0, tie_term = 0;
  bool ties = false;
  std::size_t i = 0, j = 0;
  while (i < n1 || j < n2) {
    const double value = j == n2 || (i < n1 && xs[i] <= ys[j]) ? xs[i] : ys[j];
    const std::size_t begin = i + j;
    std::size_t from_x = 0;
    for (; i < n1 && xs[i] == value; ++i) ++from_x;  // (values are finite: the readers refuse NaN in ok runs)
    while (j < n2 && ys[j] == value) ++j;
    const std::size_t end = i + j;
    const double t = static_cast<double>(end - begin);
    const double average_rank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t k = 0; k < from_x; ++k) rank_sum_x += average_rank;
    tie_term += t * t * t - t;
    ties = ties || t > 1;
  }

  MannWhitney result;
  const double product = static_cast<double>(n1) * static_cast<double>(n2);
  result.u1 = rank_sum_x - static_cast<double>(n1) * static_cast<double>(n1 + 1) / 2.0;
  const double u_max = std::max(result.u1, product - result.u1);

  if (!ties && std::min(n1, n2) <= kExactMaxSize) {
    result.method = TestMethod::exact;
    const auto counts = u_counts(n1, n2);
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    double upper = 0;  // arrangements with U >= u_max
    for (auto u = static_cast<std::size_t>(u_max); u < counts.size(); ++u) upper += counts[u];
    result.p = std::min(1.0, 2.0 * upper / total);
    return result;
  }

  result.method = TestMethod::asymptotic;
  const double nd = static_cast<double>(n);
  const double sigma = std::sqrt(product / 12.0 * ((nd + 1.0) - tie_term / (nd * (nd - 1.0))));
  // All values tied: no evidence of any difference (sigma = 0; SciPy gives z = -inf, p = 1 as well).
  if (sigma == 0) {
    result.p = 1.0;
    return result;
  }
  const double z = (u_max - product / 2.0 - 0.5) / sigma;
  result.p = std::clamp(2.0 * normal_sf(z), 0.0, 1.0);
  return result;
}

double smallest_p_value(std::size_t n1, std::size_t n2) {
  // 2 / C(n1 + n2, n1), built up as a product to stay in range.
  double combinations = 1;
  for (std::size_t k = 1; k <= n1; ++k)
    combinations = combinations * static_cast<double>(n2 + k) / static_cast<double>(k);
  return std::min(1.0, 2.0 / combinations);
}

}  // namespace bsweep
