#include "spec/measures.h"

namespace bsweep {

const std::vector<Measure>& measures() {
  using D = Destination;
  static const std::vector<Measure> list = {
      // memory (probes/memory.h): every run.
      {"peak_tensor_bytes", "bytes", "peak live tensor bytes during the run alone (CPU: counting allocator; CUDA: "
       "caching allocator; in a cohort: of its cost probe)", -1, D::runs, "memory"},
      {"step_peak_tensor_bytes", "bytes",
       "peak live tensor bytes while taking optimizer steps above those live before them (activations, gradients, "
       "temporaries: the part that grows with the batch size; in a cohort: of its cost probe)", -1, D::runs, "memory"},
      {"peak_rss_bytes", "bytes", "process resident-set high-water mark during the run alone (-1: could not be "
       "reset; in a cohort: of its cost probe)", -1, D::runs, "memory"},
      // until: steps and time to a target (the trainer checks it at every curve point).
      {"target_reached", "", "until: 1 when the run reached the grid's target, 0 when its budget ran out first", +1, D::runs, "until"},
      {"steps_to_target", "iterations", "until: optimizer steps taken when the target was first met at a curve point", -1, D::runs, "until"},
      {"samples_to_target", "samples", "until: training samples processed by then (the last batch of an epoch may be short)", -1, D::runs, "until"},
      {"seconds_to_target", "s", "until: training seconds by then (evaluation and probes excluded)", -1, D::runs, "until"},
      // gradient_noise
      {"grad_noise_trace", "", "gradient_noise: tr(Sigma) at the final weights, the variance of one example's gradient "
       "around the full-batch gradient, from every example's gradient", 0, D::runs, "gradient_noise"},
      {"grad_noise_slope", "", "gradient_noise: slope of log(noise) against log(m) at the final weights; -1 if the "
       "noise falls as 1/m (the standard deviation as 1/sqrt(m), as the notes say)", 0, D::runs, "gradient_noise"},
      {"grad_noise_slope_fpc", "", "gradient_noise: the same slope after dividing each noise by (n - m)/(n - 1), the "
       "factor sampling without replacement predicts; -1 when that prediction holds", 0, D::runs, "gradient_noise"},
      {"grad_noise_fpc_error", "", "gradient_noise: the largest |measured / predicted - 1| over m at the final weights, "
       "the prediction being tr(Sigma)/m x (n - m)/(n - 1)", -1, D::runs, "gradient_noise"},
      {"grad_noise", "", "gradient_noise: mean |g_B - G|^2 over the probe's mini-batches B of m samples (without "
       "replacement), G the full-batch gradient", 0, D::series, "gradient_noise"},
      {"grad_noise_iid", "", "gradient_noise: tr(Sigma)/m, what independent draws would give", 0, D::series, "gradient_noise"},
      {"grad_noise_fpc", "", "gradient_noise: tr(Sigma)/m x (n - m)/(n - 1), what draws without replacement give", 0,
       D::series, "gradient_noise"},
      // noise_scale
      {"b_simple", "samples", "noise_scale: B_simple = tr(Sigma)/|G|^2 from the smoothed two-batch estimates at the "
       "end of training; it predicts the critical batch size", 0, D::runs, "noise_scale"},
      {"b_simple", "samples", "noise_scale: B_simple at this point, from the smoothed estimates so far (empty before "
       "the first estimate)", 0, D::curves, "noise_scale"},
      {"noise_grad_sq", "", "noise_scale: the smoothed estimate of |G|^2, the true gradient's squared norm", 0, D::curves, "noise_scale"},
      {"noise_trace", "", "noise_scale: the smoothed estimate of tr(Sigma)", 0, D::curves, "noise_scale"},
      // sharpness
      {"sharpness", "", "sharpness: the training loss's Hessian eigenvalue of largest magnitude at the final weights, "
       "by power iteration on Hessian-vector products", -1, D::runs, "sharpness"},
      {"sharpness_iterations", "iterations", "sharpness: power iterations taken", 0, D::runs, "sharpness"},
      {"sharpness_residual", "", "sharpness: |Hv - lambda v| / |lambda| at the last iteration", -1, D::runs, "sharpness"},
      {"sharpness_converged", "", "sharpness: 1 when the residual fell to the tolerance, 0 when the iterations ran out", +1,
       D::runs, "sharpness"},
      {"eps_sharpness", "%", "sharpness with epsilon > 0: Keskar et al.'s 100 x (max f(w + d) - f(w)) / (1 + f(w)) over "
       "|d_i| <= epsilon (|w_i| + 1), by projected ascent", -1, D::runs, "sharpness"},
  };
  return list;
}

const Measure* find_measure(const std::string& name, Destination where) {
  for (const auto& measure : measures())
    if (measure.name == name && measure.where == where) return &measure;
  return nullptr;
}

}  // namespace bsweep
