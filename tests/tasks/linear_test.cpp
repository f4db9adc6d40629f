#include "random/random_source.h"
#include "tasks/registry.h"
#include "tasks/task.h"

#include "util/json_path.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("linear data follows y = b + x·w exactly when there is no noise") {
  const auto params = task_kind("linear").resolve({{"n_train", 50}, {"n_test", 20}, {"features", 3}, {"w", {1.0, -2.0, 0.5}},
                                             {"b", 0.25}, {"noise_std", 0.0}, {"x_range", {-1.0, 1.0}}},
                                            "tasks[0]");
  const auto task = make_task({"linear", "linear", params});
  auto rng = make_torch_random(7);
  const auto data = task->make_data(*rng);
  CHECK(data.x_train.sizes() == torch::IntArrayRef{50, 3});
  CHECK(data.y_test.sizes() == torch::IntArrayRef{20, 1});
  CHECK(data.x_train.min().item<double>() >= -1.0);
  CHECK(data.x_train.max().item<double>() < 1.0);
  const auto expected = 0.25 + data.x_train.select(1, 0) - 2.0 * data.x_train.select(1, 1) +
                        0.5 * data.x_train.select(1, 2);
  CHECK(torch::allclose(data.y_train.squeeze(1), expected));
}

TEST_CASE("linear data is drawn x then noise, train then test, from one stream") {
  const auto params = task_kind("linear").resolve({{"n_train", 4}, {"n_test", 3}}, "t");
  const auto task = make_task({"linear", "linear", params});
  auto rng = make_torch_random(42);
  const auto data = task->make_data(*rng);
  auto replay = make_torch_random(42);
  const auto x_train = 2.0 * replay->uniform({4, 1});
  const auto noise_train = replay->normal({4, 1});
  const auto x_test = 2.0 * replay->uniform({3, 1});
  CHECK(torch::equal(data.x_train, x_train));
  CHECK(torch::equal(data.y_train, 4.0 + x_train * 3.0 + noise_train));
  CHECK(torch::equal(data.x_test, x_test));
}

TEST_CASE("the normal initialisation draws w then b from N(0, 1)") {
  const auto task = make_task({"linear", "linear", task_kind("linear").resolve({{"features", 2}}, "t")});
  auto rng = make_torch_random(3);
  auto model = task->make_model(*rng);
  auto replay = make_torch_random(3);
  const auto w = replay->normal({1, 2});
  const auto b = replay->normal({1});
  const auto parameters = model->named_parameters();
  CHECK(torch::equal(parameters["0.weight"], w));
  CHECK(torch::equal(parameters["0.bias"], b));
}

TEST_CASE("linear parameters are validated with their JSON path") {
  CHECK_THROWS_WITH(task_kind("linear").resolve({{"features", 2}, {"w", {1.0}}}, "tasks[2]"),
                    "tasks[2].w: expected a number or a list of 2 numbers (one per feature), got [1.0]");
  CHECK_THROWS_WITH(task_kind("linear").resolve({{"x_range", {2, 0}}}, "tasks[0]"),
                    "tasks[0].x_range: expected an interval [low, high] with low < high, got [2,0]");
  CHECK_THROWS_WITH(task_kind("linear").resolve({{"features", 13709551616}}, "tasks[0]"),  // found by the fuzzer
                    "tasks[0].features: expected a positive integer up to 1000000, got 13709551616");
  CHECK_THROWS_WITH(task_kind("linear").resolve({{"noise_std", -1}}, "tasks[0]"),
                    "tasks[0].noise_std: expected a non-negative number, got -1");
}

TEST_CASE("a linear task answers what its model and data are") {
  const TaskSpec one{"line", "linear", task_kind("linear").resolve({{"n_train", 30}, {"n_test", 0}}, "t")};
  CHECK(one.train_size() == 30);
  CHECK(one.test_size() == 0);
  CHECK(one.linear_features() == 1);
  CHECK(one.data_in_plane());
  CHECK_FALSE(one.is_classifier());
  const TaskSpec three{"wide", "linear", task_kind("linear").resolve({{"features", 3}}, "t")};
  CHECK(three.linear_features() == 3);
  CHECK_FALSE(three.data_in_plane());
  CHECK(three.sample_cost() > one.sample_cost());
}
