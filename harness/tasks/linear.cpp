// linear: y = b + x·w + noise_std·ε, fitted by one linear layer under mean squared error.
// One file, two faces (tasks/task_kind.h): what the task is, and (BSWEEP_TRAINING_FACE) its data and model.
#include "tasks/registry.h"

#include "util/json_path.h"

#include <fmt/format.h>

#ifndef BSWEEP_TRAINING_FACE

namespace bsweep {
namespace {

constexpr std::int64_t kMaxFeatures = 1000000;

class LinearKind final : public TaskKind {
 public:
  std::string type() const override { return "linear"; }

  nlohmann::json resolve(const nlohmann::json& params, const std::string& path) const override {
    require_known_keys(params, path, {"n_train", "n_test", "features", "w", "b", "noise_std", "x_range", "init"});
    // Defaults are the notes' setting: 100 samples, x uniform in [0, 2), y = 4 + 3x + N(0, 1).
    nlohmann::json out = {{"n_train", 100},     {"n_test", 100},         {"features", 1},   {"b", 4.0},
                          {"noise_std", 1.0},   {"x_range", {0.0, 2.0}}, {"init", "normal"}};
    auto at = [&](const char* key) { return path_key(path, key); };
    if (params.contains("n_train")) out["n_train"] = read_positive_int(params["n_train"], at("n_train"));
    if (params.contains("n_test")) out["n_test"] = read_non_negative_int(params["n_test"], at("n_test"));
    if (params.contains("features")) {
      // Bounded: the true weights are a vector of this length, built right here.
      const auto features = read_positive_int(params["features"], at("features"));
      if (features > kMaxFeatures)
        fail_at(at("features"), fmt::format("a positive integer up to {}", kMaxFeatures), params["features"]);
      out["features"] = features;
    }
    const auto features = out["features"].get<std::int64_t>();
    std::vector<double> w(static_cast<std::size_t>(features), 3.0);
    if (params.contains("w")) {
      const auto& given = params["w"];
      if (given.is_number()) {
        w.assign(w.size(), read_number(given, at("w")));
      } else if (given.is_array() && given.size() == w.size()) {
        for (std::size_t i = 0; i < w.size(); ++i) w[i] = read_number(given[i], path_index(at("w"), i));
      } else {
        fail_at(at("w"), fmt::format("a number or a list of {} numbers (one per feature)", features), given);
      }
    }
    out["w"] = w;
    if (params.contains("b")) out["b"] = read_number(params["b"], at("b"));
    if (params.contains("noise_std")) out["noise_std"] = read_non_negative_number(params["noise_std"], at("noise_std"));
    if (params.contains("x_range")) {
      auto [low, high] = read_interval(params["x_range"], at("x_range"));
      out["x_range"] = {low, high};
    }
    if (params.contains("init")) out["init"] = read_choice(params["init"], at("init"), {"normal", "uniform", "zeros"});
    return out;
  }

  std::int64_t linear_features(const nlohmann::json& params) const override {
    return params.at("features").get<std::int64_t>();
  }
  double sample_cost(const nlohmann::json& params) const override {
    return static_cast<double>(linear_features(params));
  }
};

}  // namespace

const TaskKind& linear_task_kind() {
  static const LinearKind kind;
  return kind;
}

}  // namespace bsweep

#else  // the training face

#include "tasks/task.h"

#include <torch/nn/functional/loss.h>
#include <torch/utils.h>

namespace bsweep {
namespace {

class LinearTask final : public Task {
 public:
  explicit LinearTask(nlohmann::json params) : params_(std::move(params)) {}

  TaskData make_data(RandomSource& rng) const override {
    const auto features = params_["features"].get<std::int64_t>();
    const double low = params_["x_range"][0], high = params_["x_range"][1];
    const double b = params_["b"], noise_std = params_["noise_std"];
    const auto w = torch::tensor(params_["w"].get<std::vector<double>>(), torch::kFloat64).reshape({features, 1});
    auto split = [&](std::int64_t n, torch::Tensor& x, torch::Tensor& y) {
      x = low + (high - low) * rng.uniform({n, features});
      y = b + torch::matmul(x, w) + noise_std * rng.normal({n, 1});
    };
    TaskData data;
    split(params_["n_train"].get<std::int64_t>(), data.x_train, data.y_train);
    split(params_["n_test"].get<std::int64_t>(), data.x_test, data.y_test);
    return data;
  }

  torch::nn::Sequential make_model(RandomSource& rng) const override {
    const auto features = params_["features"].get<std::int64_t>();
    torch::nn::Linear layer(torch::nn::LinearOptions(features, 1));
    layer->to(torch::kFloat64);
    const std::string init = params_["init"];
    if (init == "uniform") {
      init_uniform_fan_in(layer, rng);
    } else {
      torch::NoGradGuard no_grad;
      // "normal": w ~ N(0, 1) then b ~ N(0, 1), as the notes' NumPy code draws them.
      layer->weight.copy_(init == "normal" ? rng.normal({1, features}) : torch::zeros({1, features}, torch::kFloat64));
      layer->bias.copy_(init == "normal" ? rng.normal({1}) : torch::zeros({1}, torch::kFloat64));
    }
    return torch::nn::Sequential(layer);
  }

  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override {
    return torch::mse_loss(output, target);
  }
  torch::Tensor replica_losses(const torch::Tensor& output, const torch::Tensor& target) const override {
    return (output - target).square().mean({1, 2});
  }
  LossAndGradient replica_loss_and_gradient(const torch::Tensor& output, const torch::Tensor& target) const override {
    const auto difference = output - target;  // mean of squares over (batch, outputs): 2 (o - y) / (B outputs)
    return {difference.square().mean({1, 2}),
            difference * (2.0 / static_cast<double>(output.size(1) * output.size(2)))};
  }

 private:
  nlohmann::json params_;
};

}  // namespace

std::unique_ptr<Task> make_linear_task(const nlohmann::json& params) { return std::make_unique<LinearTask>(params); }

}  // namespace bsweep

#endif
