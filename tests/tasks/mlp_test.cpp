#include "random/random_source.h"
#include "tasks/registry.h"
#include "tasks/task.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("the teacher task is regression from features to one output") {
  const TaskSpec spec{"mlp", "mlp", task_kind("mlp").resolve({{"n_train", 30}, {"n_test", 10}, {"features", 3}, {"hidden", {5, 4}}}, "t")};
  const auto task = make_task(spec);
  CHECK_FALSE(spec.is_classifier());
  auto rng = make_torch_random(1);
  const auto data = task->make_data(*rng);
  CHECK(data.x_train.sizes() == torch::IntArrayRef{30, 3});
  CHECK(data.y_train.sizes() == torch::IntArrayRef{30, 1});
  auto model = task->make_model(*rng);
  // Linear, Tanh, Linear, Tanh, Linear.
  CHECK(model->size() == 5);
  CHECK(model->forward(data.x_test).sizes() == torch::IntArrayRef{10, 1});
  const auto names = model->named_parameters().keys();
  CHECK(names == std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"});
}

TEST_CASE("the spirals task is two classes that alternate sample by sample") {
  const TaskSpec spec{"mlp", "mlp", task_kind("mlp").resolve({{"data", "spirals"}, {"n_train", 10}, {"n_test", 6}, {"activation", "relu"}}, "t")};
  const auto task = make_task(spec);
  CHECK(spec.is_classifier());
  auto rng = make_torch_random(1);
  const auto data = task->make_data(*rng);
  CHECK(data.y_train.scalar_type() == torch::kInt64);
  CHECK(torch::equal(data.y_train, torch::tensor({0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, torch::kInt64)));
  auto model = task->make_model(*rng);
  CHECK(model->forward(data.x_train).sizes() == torch::IntArrayRef{10, 2});
}

TEST_CASE("hidden layers start from PyTorch's default distribution U(-1/sqrt(fan_in), 1/sqrt(fan_in))") {
  const TaskSpec spec{"mlp", "mlp", task_kind("mlp").resolve({{"features", 4}, {"hidden", {64}}}, "t")};
  const auto task = make_task(spec);
  auto rng = make_torch_random(5);
  auto model = task->make_model(*rng);
  const auto first = model->named_parameters()["0.weight"];
  CHECK(first.abs().max().item<double>() <= 0.5);
  CHECK(first.abs().max().item<double>() > 0.45);
}
