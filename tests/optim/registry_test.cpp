#include "optim/optimizer.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <set>
#include <string>

using namespace bsweep;

TEST_CASE("every optimizer a grid may name is built by the training side, and only those") {
  std::set<std::string> declared, built;
  for (const auto& kind : optimizer_kinds()) declared.insert(kind.name);
  for (const auto& maker : optimizer_makers()) built.insert(maker.name);
  CHECK(declared == built);
}

TEST_CASE("AdamW decays the weights apart from the gradient; SGD's weight decay goes through it") {
  // A zero gradient: Adam's step is 0 (exp_avg stays 0), so AdamW leaves w * (1 - lr * weight_decay).
  auto w = torch::full({3}, 2.0, torch::kFloat64);
  const auto adamw = make_solo_optimizer(read_optimizer({{"name", "adamw"}, {"weight_decay", 0.5}}, "o"), 0.1, {w});
  adamw->step({torch::zeros_like(w)});
  CHECK(w[0].item<double>() == 2.0 * (1 - 0.1 * 0.5));
  // SGD with weight decay and a zero gradient: w - lr * weight_decay * w, the same figure by another road.
  auto v = torch::full({3}, 2.0, torch::kFloat64);
  const auto sgd = make_solo_optimizer(read_optimizer({{"name", "sgd"}, {"weight_decay", 0.5}}, "o"), 0.1, {v});
  sgd->step({torch::zeros_like(v)});
  CHECK(v[0].item<double>() == Approx(2.0 * (1 - 0.1 * 0.5)));
  // Nesterov's first step: buf = g, d = g + momentum * g.
  auto u = torch::zeros({1}, torch::kFloat64);
  const auto nesterov =
      make_solo_optimizer(read_optimizer({{"name", "sgd"}, {"momentum", 0.5}, {"nesterov", true}}, "o"), 1.0, {u});
  nesterov->step({torch::ones_like(u)});
  CHECK(u[0].item<double>() == -1.5);
}
