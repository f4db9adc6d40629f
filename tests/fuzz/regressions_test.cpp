// Every input the grid fuzzer ever found a bug with (tests/fuzz/regressions/) must now be accepted or rejected
// with an InputError, never anything else.
#include "spec/grid.h"
#include "util/json_path.h"
#include "spec/spec.h"
#include "fuzz/results_readers.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

TEST_CASE("the fuzzer's findings are handled as bad input") {
  const auto folder = std::filesystem::path(BSWEEP_FUZZ_REGRESSIONS);
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    INFO(entry.path().filename().string());
    try {
      bsweep::expand(bsweep::parse_sweep(bsweep::parse_json_text(text.str(), "fuzz.json"), "fuzz"));
    } catch (const bsweep::InputError&) {
    }
    ++seen;
  }
  CHECK(seen > 0);
}

TEST_CASE("the results fuzzer's findings are read or refused as bad input") {
  const auto folder = std::filesystem::path(BSWEEP_FUZZ_REGRESSIONS) / "results";
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    INFO(entry.path().filename().string());
    CHECK_NOTHROW(bsweep::fuzz::read_results_input(text.str()));
    ++seen;
  }
  CHECK(seen > 0);
}
