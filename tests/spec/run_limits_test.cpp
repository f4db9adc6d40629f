#include "spec/run_limits.h"

#include "util/errors.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("memory sizes read as people write them, and nonsense is refused") {
  CHECK(parse_size("536870912", "--max-memory") == 536870912);
  CHECK(parse_size("512M", "--max-memory") == 512LL << 20);
  CHECK(parse_size("1.5GiB", "--max-memory") == 3LL << 29);
  CHECK_THROWS_WITH(parse_size("0.5", "--max-memory"), Catch::Contains("less than one byte"));
  CHECK_THROWS_WITH(parse_size("1e30G", "--max-memory"), Catch::Contains("more than"));
  CHECK_THROWS_AS(parse_size("nan", "--max-memory"), InputError);
  CHECK_THROWS_AS(parse_size("-1G", "--max-memory"), InputError);
  CHECK_THROWS_AS(parse_size("12X", "--max-memory"), InputError);
}

TEST_CASE("a memory cap below what the process already holds is named before anything runs") {
  const auto held = data_segment_bytes();
  REQUIRE(held > 0);
  CHECK_THAT(memory_cap_problem(held / 2), Catch::Contains("is below the"));
  CHECK(memory_cap_problem(held * 4).empty());
}
