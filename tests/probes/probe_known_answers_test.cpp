// The probes against closed forms on the linear task (mean squared error of y ~ x.w + b): per-example gradients
// g_j = 2 e_j [x_j, 1] with e_j = x_j.w + b - y_j, G their mean; tr(Sigma) = mean |g_j - G|^2; the Hessian is
// 2 A^T A / n with A = [X, 1].
#include "probes/gradient_noise.h"
#include "probes/noise_scale_probe.h"
#include "probes/probe_set.h"
#include "probes/sharpness.h"

#include "spec/grid.h"
#include "tasks/task.h"
#include "train/train_parts.h"

#include <catch2/catch.hpp>

#include <torch/linalg.h>

#include <cmath>

using namespace bsweep;

namespace {

// A linear task's data and model in float64, its weights set to (w, b) away from the optimum.
struct LinearFixture {
  RunSpec run;
  std::unique_ptr<Task> task;
  TaskData data;
  torch::nn::Sequential model;
  ProbedModel probed;

  LinearFixture(std::int64_t n, std::int64_t features, double w, double b) {
    const nlohmann::json grid = {{"tasks", {{{"type", "linear"}, {"n_train", n}, {"n_test", 0}, {"features", features}}}},
                                 {"batch_sizes", {1}}, {"lr", 0.01}, {"epochs", 1}, {"seeds", {3}}};
    run = expand(parse_sweep(grid, "t")).at(0);
    task = make_task(run.task);
    auto rng = make_random("torch", 3);
    data = task->make_data(*rng);
    model = task->make_model(*rng);
    {
      torch::NoGradGuard no_grad;
      model->parameters()[0].fill_(w);
      model->parameters()[1].fill_(b);
    }
    DirectForward forward(model);
    probed = ProbedModel{[forward](const torch::Tensor& x) mutable { return forward(x); }, task.get(),
                         model->parameters(), data.x_train, data.y_train};
  }

  // Every example's gradient (n x (features + 1)), from the closed form.
  torch::Tensor per_example_gradients() const {
    const auto& p = model->parameters();
    const auto error = (data.x_train.matmul(p[0].detach().t()) + p[1].detach() - data.y_train);  // n x 1
    const auto design = torch::cat({data.x_train, torch::ones({data.x_train.size(0), 1}, torch::kFloat64)}, 1);
    return 2 * error * design;
  }
  double trace() const {
    const auto g = per_example_gradients();
    return (g - g.mean(0)).pow(2).sum(1).mean().item<double>();
  }
  double grad_sq() const {
    const auto mean = per_example_gradients().mean(0);
    return mean.dot(mean).item<double>();
  }
};

}  // namespace

TEST_CASE("gradient noise: tr(Sigma) equals the closed form, and the noise follows tr(Sigma)/m x (n-m)/(n-1)") {
  LinearFixture fixture(400, 2, 1.0, 1.0);
  GradientNoiseConfig config{{1, 4, 16, 64, 256}, 1500, 0};
  auto rng = make_torch_random(11);
  const auto reading = measure_gradient_noise(fixture.probed, config, *rng);
  CHECK(reading.trace == Approx(fixture.trace()).epsilon(1e-10));
  REQUIRE(reading.m == std::vector<std::int64_t>{1, 4, 16, 64, 256});
  for (std::size_t i = 0; i < reading.m.size(); ++i) {
    const double m = static_cast<double>(reading.m[i]);
    CHECK(reading.fpc[i] == Approx(fixture.trace() / m * (400 - m) / 399).epsilon(1e-10));
    CHECK(reading.iid[i] == Approx(fixture.trace() / m).epsilon(1e-10));
    // 1500 samples: a mean of squared norms within 10% of its expectation.
    CHECK(reading.noise[i] == Approx(reading.fpc[i]).epsilon(0.1));
  }
  CHECK(reading.slope_fpc == Approx(-1).margin(0.05));
  // At m = 256 of 400 the finite sample shows: the raw slope is steeper than -1.
  CHECK(reading.slope < reading.slope_fpc);
  CHECK(reading.fpc_error < 0.1);

  SECTION("a batch size as large as the training set is left out (no noise to measure)") {
    GradientNoiseConfig whole{{8, 400, 800}, 4, 0};
    const auto only = measure_gradient_noise(fixture.probed, whole, *rng);
    CHECK(only.m == std::vector<std::int64_t>{8});
    CHECK(std::isnan(only.slope));
  }
}

TEST_CASE("sharpness: power iteration finds the top eigenvalue of 2 A^T A / n") {
  LinearFixture fixture(300, 3, 0.5, -1.0);
  const auto design = torch::cat({fixture.data.x_train, torch::ones({300, 1}, torch::kFloat64)}, 1);
  const double top = torch::linalg_eigvalsh(2 * design.t().matmul(design) / 300, "L").max().item<double>();
  auto rng = make_torch_random(5);
  SharpnessConfig config;
  config.iterations = 500;
  config.tolerance = 1e-10;
  const auto before = fixture.model->parameters()[0].clone();
  const auto reading = measure_sharpness(fixture.probed, config, *rng);
  CHECK(reading.converged);
  CHECK(reading.residual <= 1e-10);
  CHECK(reading.eigenvalue == Approx(top).epsilon(1e-9));
  CHECK(reading.eps_sharpness == -1);
  CHECK(torch::equal(before, fixture.model->parameters()[0]));

  SECTION("the convergence check fails when the iterations run out") {
    SharpnessConfig short_config;
    short_config.iterations = 2;
    short_config.tolerance = 1e-12;
    const auto cut = measure_sharpness(fixture.probed, short_config, *rng);
    CHECK_FALSE(cut.converged);
    CHECK(cut.iterations == 2);
    CHECK(cut.residual > 1e-12);
  }
  SECTION("epsilon-sharpness of a quadratic: positive, growing with epsilon, weights restored") {
    SharpnessConfig eps = config;
    eps.iterations = 5;
    eps.epsilon = 1e-3;
    const double small = measure_sharpness(fixture.probed, eps, *rng).eps_sharpness;
    eps.epsilon = 1e-2;
    const double large = measure_sharpness(fixture.probed, eps, *rng).eps_sharpness;
    CHECK(small > 0);
    CHECK(large > small);
    CHECK(torch::equal(before, fixture.model->parameters()[0]));
  }
}

TEST_CASE("noise scale: the two-batch estimator approaches tr(Sigma)/|G|^2 from per-example gradients") {
  LinearFixture fixture(2000, 1, 2.0, 3.0);
  const double exact = fixture.trace() / fixture.grad_sq();
  NoiseScaleProbe probe(NoiseScaleConfig{4, 64, 1, 0.999});
  auto rng = make_torch_random(7);
  for (int i = 0; i < 6000; ++i) probe.observe(fixture.probed, *rng);
  INFO("exact B_simple " << exact << ", estimated " << probe.estimate().b_simple());
  CHECK(probe.estimate().trace() == Approx(fixture.trace()).epsilon(0.1));
  CHECK(probe.estimate().grad_sq() == Approx(fixture.grad_sq()).epsilon(0.1));
  CHECK(probe.estimate().b_simple() == Approx(exact).epsilon(0.15));
}
