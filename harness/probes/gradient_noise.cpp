#include "probes/gradient_noise.h"

#include "stats/line_fit.h"

#include <algorithm>
#include <cmath>

namespace bsweep {

GradientNoiseReading measure_gradient_noise(const ProbedModel& model, const GradientNoiseConfig& config,
                                            RandomSource& rng) {
  GradientNoiseReading reading;
  const std::int64_t n = model.samples();
  const auto device = model.x.device();
  const auto full = model.gradient();
  // tr(Sigma) exactly: every example's own gradient (n backward passes).
  double spread = 0;
  for (std::int64_t j = 0; j < n; ++j)
    spread += squared_norm(model.gradient(torch::full({1}, j, torch::TensorOptions().dtype(torch::kInt64).device(device))) - full);
  reading.trace = spread / static_cast<double>(n);

  std::vector<double> log_m, log_noise, log_noise_fpc;
  for (const std::int64_t m : config.batch_sizes) {
    if (m >= n) continue;  // the whole set: no noise left to measure
    double sum = 0;
    for (std::int64_t s = 0; s < config.samples; ++s) {
      const auto index = rng.permutation(n).narrow(0, 0, m).to(device);
      sum += squared_norm(model.gradient(index) - full);
    }
    const double noise = sum / static_cast<double>(config.samples);
    const double factor = static_cast<double>(n - m) / static_cast<double>(n - 1);
    reading.m.push_back(m);
    reading.noise.push_back(noise);
    reading.iid.push_back(reading.trace / static_cast<double>(m));
    reading.fpc.push_back(reading.trace / static_cast<double>(m) * factor);
    reading.fpc_error = std::max(reading.fpc_error, std::abs(noise / reading.fpc.back() - 1));
    log_m.push_back(std::log(static_cast<double>(m)));
    log_noise.push_back(std::log(noise));
    log_noise_fpc.push_back(std::log(noise / factor));
  }
  const auto fit = fit_line(log_m, log_noise), fit_fpc = fit_line(log_m, log_noise_fpc);
  reading.slope = fit.ok ? fit.slope : std::nan("");
  reading.slope_fpc = fit_fpc.ok ? fit_fpc.slope : std::nan("");
  return reading;
}

}  // namespace bsweep
