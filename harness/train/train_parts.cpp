#include "train/train_parts.h"

#include "train/train.h"

#include <torch/linalg.h>
#include <torch/nn/functional/linear.h>
#include <torch/utils.h>

#include <fmt/format.h>

#include <cmath>

namespace bsweep {

DirectForward::DirectForward(torch::nn::Sequential& model) {
  for (std::size_t i = 0; i < model->size(); ++i)
    layers_.push_back({std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->ptr(i)),
                       *(model->begin() + static_cast<std::ptrdiff_t>(i))});
}

torch::Tensor DirectForward::operator()(torch::Tensor x) {
  for (auto& layer : layers_)
    x = layer.linear ? torch::nn::functional::linear(x, layer.linear->weight, layer.linear->bias) : layer.other.forward(x);
  return x;
}

torch::Dtype to_dtype(const std::string& name) { return name == "float64" ? torch::kFloat64 : torch::kFloat32; }

std::vector<double> to_vector(const torch::Tensor& tensor) {
  const auto flat = tensor.detach().to(torch::kCPU, torch::kFloat64).contiguous().view(-1);
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

std::vector<double> least_squares(const TaskData& data) {
  const auto design = torch::cat({data.x_train, torch::ones({data.x_train.size(0), 1}, torch::kFloat64)}, 1);
  return to_vector(std::get<0>(torch::linalg_lstsq(design, data.y_train)));
}

bool healthy_point(const std::vector<CurvePoint>& curve, bool has_test) {
  const auto& point = curve.back();
  const double bound = kDivergenceFactor * curve.front().train_loss;
  const bool test_ok = !has_test || std::isfinite(point.test_loss);
  return std::isfinite(point.train_loss) && test_ok && !(bound > 0 && point.train_loss > bound);
}

std::string divergence_message(const TrainResult& result) {
  return fmt::format("training loss {:g} (started at {:g}) after {} iterations: non-finite or above {:g} times its "
                     "start",
                     result.curve.back().train_loss, result.curve.front().train_loss, result.iterations,
                     kDivergenceFactor);
}

}  // namespace bsweep
