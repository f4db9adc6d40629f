#include "spec/optimizer.h"

#include "util/errors.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("an optimizer is read from a name or an object with its hyperparameters") {
  CHECK(read_optimizer("adam", "optimizer").name == "adam");
  const auto sgd = read_optimizer({{"name", "sgd"}, {"momentum", 0.9}}, "optimizer[1]");
  CHECK(sgd.name == "sgd");
  CHECK(sgd.momentum == 0.9);
}

TEST_CASE("an optimizer's config, label and momentum follow from its description") {
  const OptimizerSpec plain{"sgd", 0.0}, heavy{"sgd", 0.9}, adam{"adam", 0.0};
  CHECK(plain.config() == nlohmann::json{{"name", "sgd"}, {"momentum", 0.0}});
  CHECK(adam.config() == nlohmann::json{{"name", "adam"}});
  CHECK(plain.label() == "sgd");
  CHECK(heavy.label() == "sgd/0.9");
  CHECK(adam.label() == "adam");
  CHECK(heavy.momentum_if_any() == 0.9);
  CHECK_FALSE(adam.momentum_if_any().has_value());
}

TEST_CASE("a bad optimizer is refused with its JSON path") {
  CHECK_THROWS_WITH(read_optimizer("rmsprop", "optimizer"),
                    "optimizer: expected \"sgd\" or \"adam\", got \"rmsprop\"");
  CHECK_THROWS_WITH(read_optimizer({{"name", "sgd"}, {"momentum", 1.0}}, "optimizer[0]"),
                    "optimizer[0].momentum: expected a number in [0, 1), got 1.0");
  CHECK_THROWS_WITH(read_optimizer({{"name", "adam"}, {"momentum", 0.5}}, "optimizer"),
                    Catch::Contains("optimizer") && Catch::Contains("momentum"));
  CHECK_THROWS_AS(read_optimizer(3, "optimizer"), InputError);
}
