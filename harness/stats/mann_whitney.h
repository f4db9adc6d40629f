// The two-sided Mann-Whitney U test (Wilcoxon rank-sum), as google/benchmark's compare.py uses it to ask
// whether two sets of repetitions come from one distribution. The method follows SciPy's
// mannwhitneyu(method="auto") so that its p-values can be checked against SciPy's:
//   exact       no ties and one sample of at most kExactMaxSize values: the exact null distribution of U,
//               p = 2 P(U >= max(U1, U2)), capped at 1;
//   asymptotic  otherwise: the normal approximation with tie correction and a continuity correction of 1/2.
// U1 is the statistic of the first sample: the number of pairs (x, y) with x > y, ties counting 1/2.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bsweep {

inline constexpr std::size_t kExactMaxSize = 8;

enum class TestMethod { exact, asymptotic };
std::string to_string(TestMethod method);

struct MannWhitney {
  double u1 = 0;  // statistic of the first sample
  double p = 1;   // two-sided p-value
  TestMethod method = TestMethod::exact;
};

// Both samples need at least one value; fewer than 2 on a side is allowed but means nothing.
MannWhitney mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y);
// The same, of samples already in ascending order (and finite): no copy, no sort.
MannWhitney mann_whitney_u_sorted(const std::vector<double>& xs, const std::vector<double>& ys);

// The smallest two-sided p-value any data could give with these sample sizes (exact, no ties):
// 2 / C(n1 + n2, n1). Below alpha it means a difference can be detected at all.
double smallest_p_value(std::size_t n1, std::size_t n2);

}  // namespace bsweep
