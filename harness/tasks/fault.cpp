// fault: a linear task that misbehaves on purpose while building its model, so the tests can check that a
// sweep survives it. Only available when the environment sets BSWEEP_ENABLE_FAULT_TASK=1.
//   mode "abort": calls std::abort();  "allocate": allocates and touches `bytes` bytes of tensors;
//   "sleep": sleeps `seconds`;  "exit": exits the process with status 3 without a word.
// One file, two faces (tasks/task_kind.h): what the task is, and (BSWEEP_TRAINING_FACE) its data and model.
#include "tasks/registry.h"

#include "util/json_path.h"

#include <cstdlib>
#include <string>

#ifndef BSWEEP_TRAINING_FACE

namespace bsweep {
namespace {

class FaultKind final : public TaskKind {
 public:
  std::string type() const override { return "fault"; }

  bool available() const override {
    const char* flag = std::getenv("BSWEEP_ENABLE_FAULT_TASK");
    return flag != nullptr && std::string(flag) == "1";
  }

  nlohmann::json resolve(const nlohmann::json& params, const std::string& path) const override {
    // The fault keys, and the linear task's it trains like (resolved parameters must resolve to themselves).
    require_known_keys(params, path, {"mode", "bytes", "seconds", "n_train", "n_test", "features", "w", "b",
                                      "noise_std", "x_range", "init"});
    if (!params.contains("mode")) throw InputError(path_key(path, "mode") + ": missing");
    nlohmann::json out = {
        {"mode", read_choice(params["mode"], path_key(path, "mode"), {"abort", "allocate", "sleep", "exit"})},
        {"bytes", 0},
        {"seconds", 0.0}};
    if (params.contains("bytes")) out["bytes"] = read_non_negative_int(params["bytes"], path_key(path, "bytes"));
    if (params.contains("seconds"))
      out["seconds"] = read_non_negative_number(params["seconds"], path_key(path, "seconds"));
    nlohmann::json linear = params;
    for (const char* key : {"mode", "bytes", "seconds"}) linear.erase(key);
    const auto resolved = linear_task_kind().resolve(linear, path);  // named: items() of a temporary would dangle
    for (const auto& item : resolved.items()) out[item.key()] = item.value();
    return out;
  }

  std::int64_t linear_features(const nlohmann::json& params) const override {
    return linear_task_kind().linear_features(params);
  }
};

}  // namespace

const TaskKind& fault_task_kind() {
  static const FaultKind kind;
  return kind;
}

}  // namespace bsweep

#else  // the training face

#include "tasks/task.h"

#include <chrono>
#include <thread>

namespace bsweep {
namespace {

class FaultTask final : public Task {
 public:
  explicit FaultTask(nlohmann::json params) : params_(params), linear_(make_linear_task(params)) {}
  TaskData make_data(RandomSource& rng) const override { return linear_->make_data(rng); }
  torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const override {
    return linear_->loss(output, target);
  }
  torch::Tensor replica_losses(const torch::Tensor& output, const torch::Tensor& target) const override {
    return linear_->replica_losses(output, target);
  }
  LossAndGradient replica_loss_and_gradient(const torch::Tensor& output, const torch::Tensor& target) const override {
    return linear_->replica_loss_and_gradient(output, target);
  }

  torch::nn::Sequential make_model(RandomSource& rng) const override {
    const std::string mode = params_["mode"];
    if (mode == "abort") std::abort();
    if (mode == "exit") std::_Exit(3);
    if (mode == "sleep") std::this_thread::sleep_for(std::chrono::duration<double>(params_["seconds"].get<double>()));
    if (mode == "allocate") {
      // In 64 MiB pieces, each touched, so the memory is really used.
      std::vector<torch::Tensor> pieces;
      for (std::int64_t left = params_["bytes"]; left > 0; left -= 64 << 20)
        pieces.push_back(torch::ones({std::min<std::int64_t>(left, 64 << 20)}, torch::kUInt8));
    }
    return linear_->make_model(rng);
  }

 private:
  nlohmann::json params_;
  std::unique_ptr<Task> linear_;
};

}  // namespace

std::unique_ptr<Task> make_fault_task(const nlohmann::json& params) { return std::make_unique<FaultTask>(params); }

}  // namespace bsweep

#endif
