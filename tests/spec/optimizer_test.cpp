#include "spec/optimizer.h"

#include "util/errors.h"

#include <catch2/catch.hpp>

using namespace bsweep;
using Catch::Matchers::Contains;

TEST_CASE("an optimizer is read from a name or an object with its options, the rest at their defaults") {
  const auto adam = read_optimizer("adam", "optimizer");
  CHECK(adam.name == "adam");
  CHECK(adam.options == nlohmann::json{{"betas", {0.9, 0.999}}, {"eps", 1e-8}});
  const auto sgd = read_optimizer({{"name", "sgd"}, {"momentum", 0.9}}, "optimizer[1]");
  CHECK(sgd.name == "sgd");
  CHECK(sgd.number("momentum") == 0.9);
  CHECK(sgd.number("weight_decay") == 0);
  CHECK_FALSE(sgd.flag("nesterov"));
  const auto adamw = read_optimizer({{"name", "adamw"}, {"betas", {0.8, 0.99}}, {"eps", 1e-6}}, "optimizer");
  CHECK(adamw.options == nlohmann::json{{"betas", {0.8, 0.99}}, {"eps", 1e-6}, {"weight_decay", 0.01}});
  CHECK(OptimizerSpec().name == "sgd");
  CHECK(OptimizerSpec().options == read_optimizer("sgd", "optimizer").options);
}

TEST_CASE("an optimizer's config leaves out options at their default, so older grids keep their run ids") {
  const auto plain = read_optimizer("sgd", "o"), adam = read_optimizer("adam", "o");
  const auto heavy = read_optimizer({{"name", "sgd"}, {"momentum", 0.9}}, "o");
  // The configs (and so the ids) of sgd and adam runs from before these options existed.
  CHECK(plain.config() == nlohmann::json{{"name", "sgd"}, {"momentum", 0.0}});
  CHECK(heavy.config() == nlohmann::json{{"name", "sgd"}, {"momentum", 0.9}});
  CHECK(adam.config() == nlohmann::json{{"name", "adam"}});
  CHECK(read_optimizer({{"name", "adam"}, {"eps", 1e-8}}, "o").config() == adam.config());
  const auto nesterov = read_optimizer({{"name", "sgd"}, {"momentum", 0.9}, {"nesterov", true}, {"weight_decay", 1e-4}}, "o");
  CHECK(nesterov.config() ==
        nlohmann::json{{"name", "sgd"}, {"momentum", 0.9}, {"nesterov", true}, {"weight_decay", 1e-4}});
  CHECK(nesterov.options_set() == nlohmann::json{{"nesterov", true}, {"weight_decay", 1e-4}});
  CHECK(read_optimizer("adamw", "o").config() == nlohmann::json{{"name", "adamw"}});
  CHECK(read_optimizer("adamw", "o").options_set().empty());
  CHECK(plain.label() == "sgd");
  CHECK(heavy.label() == "sgd/0.9");
  CHECK(adam.label() == "adam");
  CHECK(heavy.momentum_if_any() == 0.9);
  CHECK_FALSE(adam.momentum_if_any().has_value());
}

TEST_CASE("a bad optimizer or option is refused with its JSON path") {
  CHECK_THROWS_WITH(read_optimizer("rmsprop", "optimizer"),
                    "optimizer: expected \"sgd\" or \"adam\" or \"adamw\", got \"rmsprop\"");
  CHECK_THROWS_WITH(read_optimizer({{"name", "sgd"}, {"momentum", 1.0}}, "optimizer[0]"),
                    "optimizer[0].momentum: expected a number in [0, 1), got 1.0");
  CHECK_THROWS_WITH(read_optimizer({{"name", "adam"}, {"momentum", 0.5}}, "optimizer"),
                    Contains("optimizer") && Contains("momentum"));
  CHECK_THROWS_WITH(read_optimizer({{"name", "sgd"}, {"nesterov", true}}, "optimizer"),
                    "optimizer: nesterov needs a momentum above 0 (as torch.optim.SGD)");
  CHECK_THROWS_WITH(read_optimizer({{"name", "sgd"}, {"weight_decay", -1}}, "optimizer"),
                    Contains("optimizer.weight_decay: expected"));
  CHECK_THROWS_WITH(read_optimizer({{"name", "adamw"}, {"betas", {0.9}}}, "optimizer"),
                    Contains("optimizer.betas: expected [beta1, beta2], each in [0, 1)"));
  CHECK_THROWS_WITH(read_optimizer({{"name", "adamw"}, {"betas", {0.9, 1.0}}}, "optimizer"),
                    Contains("optimizer.betas[1]: expected a number in [0, 1)"));
  CHECK_THROWS_WITH(read_optimizer({{"name", "adamw"}, {"eps", 0}}, "optimizer"), Contains("optimizer.eps: expected"));
  CHECK_THROWS_WITH(read_optimizer({{"name", "sgd"}, {"nesterov", "yes"}}, "optimizer"),
                    Contains("optimizer.nesterov: expected"));
  CHECK_THROWS_AS(read_optimizer(3, "optimizer"), InputError);
}

TEST_CASE("every optimizer's options have a default in their own range") {
  for (const auto& kind : optimizer_kinds())
    for (const auto& option : kind.options) {
      INFO(kind.name << "." << option.key);
      nlohmann::json grid = {{"name", kind.name}, {option.key, option.fallback}};
      CHECK(read_optimizer(grid, "o").options.at(option.key) == option.fallback);
    }
}
