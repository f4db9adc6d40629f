#include "results/schema.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("the linear weight columns are w, w0, w1, ..., b and their least-squares twins; no other name is") {
  for (const char* name : {"w", "w0", "w12", "b", "lstsq_w", "lstsq_w3", "lstsq_b"}) {
    INFO(name);
    REQUIRE(find_run_column(name) != nullptr);
    CHECK(find_run_column(name)->name == find_run_column("w0")->name);
  }
  for (const char* name : {"wx", "w-1", "bb", "lstsq_", "lstsq_x", "W0", "", "lstsq_lstsq_w"}) {
    INFO(name);
    CHECK(find_run_column(name) == nullptr);
  }
  CHECK(find_run_column("seed")->name == "seed");
}
