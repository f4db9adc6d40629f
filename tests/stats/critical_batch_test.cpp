#include "stats/critical_batch.h"
#include "stats/noise_scale.h"
#include "stats/line_fit.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace bsweep;

TEST_CASE("the critical-batch fit recovers S_min and E_min from points the model generates") {
  const double s_min = 120, e_min = 3000;  // B_crit = 25
  std::vector<double> batches = {1, 2, 4, 8, 16, 32, 64, 128, 256}, steps;
  for (double b : batches) steps.push_back(s_min + e_min / b);
  const auto fit = fit_critical_batch(batches, steps);
  REQUIRE(fit.ok);
  CHECK(fit.s_min == Approx(s_min).epsilon(1e-9));
  CHECK(fit.e_min == Approx(e_min).epsilon(1e-9));
  CHECK(fit.b_crit == Approx(25).epsilon(1e-9));
  CHECK(fit.max_relative_error < 1e-9);
  // Each point satisfies (S/S_min - 1)(E/E_min - 1) = 1.
  for (std::size_t i = 0; i < batches.size(); ++i)
    CHECK((steps[i] / s_min - 1) * (steps[i] * batches[i] / e_min - 1) == Approx(1).epsilon(1e-9));

  SECTION("noisy points: close, and the error says how close") {
    std::vector<double> noisy = steps;
    for (std::size_t i = 0; i < noisy.size(); ++i) noisy[i] *= i % 2 ? 1.05 : 0.95;
    const auto rough = fit_critical_batch(batches, noisy);
    REQUIRE(rough.ok);
    CHECK(rough.b_crit == Approx(25).epsilon(0.2));
    CHECK(rough.max_relative_error > 0.01);
  }
  SECTION("steps that do not fall with the batch give no critical batch") {
    const auto flat = fit_critical_batch({1, 10, 100}, {50, 100, 200});
    CHECK_FALSE(flat.ok);
  }
  SECTION("fewer than two points give nothing") { CHECK_FALSE(fit_critical_batch({4}, {10}).ok); }
}

TEST_CASE("the noise-scale estimator is exact on expected norms: E|G_B|^2 = |G|^2 + tr(Sigma)/B") {
  const double grad_sq = 2.5, trace = 40;
  NoiseScaleEstimator estimator(4, 64, 0.9);
  CHECK_FALSE(estimator.ready());
  for (int i = 0; i < 3; ++i) estimator.observe(grad_sq + trace / 4, grad_sq + trace / 64);
  REQUIRE(estimator.ready());
  CHECK(estimator.grad_sq() == Approx(grad_sq).epsilon(1e-12));
  CHECK(estimator.trace() == Approx(trace).epsilon(1e-12));
  CHECK(estimator.b_simple() == Approx(16).epsilon(1e-12));
}

TEST_CASE("a line fit gives the slope of exact points, and nothing for one x") {
  const auto fit = fit_line({0, 1, 2, 3}, {1, -1, -3, -5});
  CHECK(fit.ok);
  CHECK(fit.slope == Approx(-2));
  CHECK(fit.intercept == Approx(1));
  CHECK_FALSE(fit_line({2, 2}, {1, 3}).ok);
}
