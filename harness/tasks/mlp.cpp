// mlp: a multi-layer perceptron on a synthetic non-linear task.
//   data "teacher": regression on y = teacher(x) + noise, teacher a fixed random one-hidden-layer tanh net;
//   data "spirals": two interleaved spirals in the plane, classified with cross-entropy.
// One file, two faces (tasks/task_kind.h): what the task is, and (BSWEEP_TRAINING_FACE) its data and model.
#include "tasks/registry.h"

#include "util/json_path.h"

#include <fmt/format.h>

#ifndef BSWEEP_TRAINING_FACE

namespace bsweep {
namespace {

class MlpKind final : public TaskKind {
 public:
  std::string type() const override { return "mlp"; }

  nlohmann::json resolve(const nlohmann::json& params, const std::string& path) const override {
    auto at = [&](const char* key) { return path_key(path, key); };
    const std::string data = params.contains("data") ? read_choice(params["data"], at("data"), {"teacher", "spirals"})
                                                     : std::string("teacher");
    const bool teacher = data == "teacher";
    if (teacher) {
      require_known_keys(params, path, {"data", "n_train", "n_test", "features", "hidden", "activation", "noise_std",
                                        "x_range", "teacher_hidden"});
    } else {
      require_known_keys(params, path, {"data", "n_train", "n_test", "hidden", "activation", "noise_std", "turns"});
    }
    nlohmann::json out = {{"data", data},
                          {"n_train", 1000},
                          {"n_test", 1000},
                          {"hidden", {32, 32}},
                          {"activation", "tanh"},
                          {"noise_std", teacher ? 0.1 : 0.05}};
    if (teacher) {
      out["features"] = 2;
      out["x_range"] = {-2.0, 2.0};
      out["teacher_hidden"] = 16;
    } else {
      out["turns"] = 1.5;
    }
    if (params.contains("n_train")) out["n_train"] = read_positive_int(params["n_train"], at("n_train"));
    if (params.contains("n_test")) out["n_test"] = read_non_negative_int(params["n_test"], at("n_test"));
    if (params.contains("hidden")) out["hidden"] = read_positive_int_list(params["hidden"], at("hidden"));
    if (params.contains("activation"))
      out["activation"] = read_choice(params["activation"], at("activation"), {"tanh", "relu"});
    if (params.contains("noise_std")) out["noise_std"] = read_non_negative_number(params["noise_std"], at("noise_std"));
    if (params.contains("features")) out["features"] = read_positive_int(params["features"], at("features"));
    if (params.contains("x_range")) {
      auto [low, high] = read_interval(params["x_range"], at("x_range"));
      out["x_range"] = {low, high};
    }
    if (params.contains("teacher_hidden"))
      out["teacher_hidden"] = read_positive_int(params["teacher_hidden"], at("teacher_hidden"));
    if (params.contains("turns")) out["turns"] = read_positive_number(params["turns"], at("turns"));
    return out;
  }

  bool is_classifier(const nlohmann::json& params) const override { return params.at("data") == "spirals"; }
  // Every hidden unit, plus the output.
  double sample_cost(const nlohmann::json& params) const override {
    double width = 1;
    for (const auto& hidden : params.at("hidden")) width += hidden.get<double>();
    return width;
  }
};

}  // namespace

const TaskKind& mlp_task_kind() {
  static const MlpKind kind;
  return kind;
}

}  // namespace bsweep

#else  // the training face

#include "tasks/task.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/activation.h>

#include <cmath>

namespace bsweep {
namespace {

class MlpTask final : public Task {
 public:
  explicit MlpTask(nlohmann::json params)
      : params_(std::move(params)), classify_(params_["data"] == "spirals") {}

  TaskData make_data(RandomSource& rng) const override {
    TaskData data;
    const auto n_train = params_["n_train"].get<std::int64_t>();
    const auto n_test = params_["n_test"].get<std::int64_t>();
    const double noise_std = params_["noise_std"];
    if (params_["data"] == "teacher") {
      const auto d = params_["features"].get<std::int64_t>();
      const auto h = params_["teacher_hidden"].get<std::int64_t>();
      const double low = params_["x_range"][0], high = params_["x_range"][1];
      // The teacher is drawn first: W1 (h x d), b1 (h), W2 (1 x h), scaled by 1/sqrt(fan_in).
      const auto w1 = rng.normal({h, d}) / std::sqrt(static_cast<double>(d));
      const auto b1 = rng.normal({h});
      const auto w2 = rng.normal({1, h}) / std::sqrt(static_cast<double>(h));
      auto split = [&](std::int64_t n, torch::Tensor& x, torch::Tensor& y) {
        x = low + (high - low) * rng.uniform({n, d});
        y = torch::matmul(torch::tanh(torch::matmul(x, w1.t()) + b1), w2.t()) + noise_std * rng.normal({n, 1});
      };
      split(n_train, data.x_train, data.y_train);
      split(n_test, data.x_test, data.y_test);
    } else {
      const double turns = params_["turns"];
      // Sample i belongs to class i % 2; t ~ U[0,1) sets radius t and angle 2π·turns·t + π·class.
      auto split = [&](std::int64_t n, torch::Tensor& x, torch::Tensor& y) {
        y = torch::arange(n, torch::kInt64).remainder(2);
        const auto t = rng.uniform({n});
        const auto angle = t * (2.0 * M_PI * turns) + y.to(torch::kFloat64) * M_PI;
        x = torch::stack({t * torch::cos(angle), t * torch::sin(angle)}, 1) + noise_std * rng.normal({n, 2});
      };
      split(n_train, data.x_train, data.y_train);
      split(n_test, data.x_test, data.y_test);
    }
    return data;
  }

  torch::nn::Sequential make_model(RandomSource& rng) const override {
    std::int64_t in = classify_ ? 2 : params_["features"].get<std::int64_t>();
    const std::int64_t out = classify_ ? 2 : 1;
    torch::nn::Sequential model;
    auto add_linear = [&](std::int64_t from, std::int64_t to) {
      torch::nn::Linear layer(torch::nn::LinearOptions(from, to));
      layer->to(torch::kFloat64);
      init_uniform_fan_in(layer, rng);
      model->push_back(layer);
    };
    for (auto width : params_["hidden"].get<std::vector<std::int64_t>>()) {
      add_linear(in, width);
      if (params_["activation"] == "tanh") {
        model->push_back(torch::nn::Tanh());
      } else {
        model->push_back(torch::nn::ReLU());
      }
      in = width;
    }
    add_linear(in, out);
    return model;
  }

  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override {
    if (classify_) return torch::nn::functional::cross_entropy(output, target);
    return torch::mse_loss(output, target);
  }
  torch::Tensor replica_losses(const torch::Tensor& output, const torch::Tensor& target) const override {
    if (classify_)  // cross-entropy: minus the log-probability of each sample's class
      return -torch::log_softmax(output, 2).gather(2, target.unsqueeze(2)).squeeze(2).mean(1);
    return (output - target).square().mean({1, 2});
  }
  LossAndGradient replica_loss_and_gradient(const torch::Tensor& output, const torch::Tensor& target) const override {
    const double batch = static_cast<double>(output.size(1));
    if (classify_) {  // cross-entropy: (softmax - one-hot) / B
      const auto log_probabilities = torch::log_softmax(output, 2);
      const auto picked = target.unsqueeze(2);
      return {-log_probabilities.gather(2, picked).squeeze(2).mean(1),
              (log_probabilities.exp() - torch::zeros_like(output).scatter_(2, picked, 1.0)) / batch};
    }
    const auto difference = output - target;  // mean of squares over (batch, outputs): 2 (o - y) / (B outputs)
    return {difference.square().mean({1, 2}), difference * (2.0 / (batch * static_cast<double>(output.size(2))))};
  }

 private:
  nlohmann::json params_;
  bool classify_;  // asked once: loss() runs every step
};

}  // namespace

std::unique_ptr<Task> make_mlp_task(const nlohmann::json& params) { return std::make_unique<MlpTask>(params); }

}  // namespace bsweep

#endif
