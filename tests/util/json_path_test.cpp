#include "util/json_path.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("paths name keys and indices the way jq does") {
  CHECK(path_key("", "lr") == "lr");
  CHECK(path_key("tasks[0]", "n_train") == "tasks[0].n_train");
  CHECK(path_index("batch_sizes", 3) == "batch_sizes[3]");
}

TEST_CASE("text that is not JSON is reported with its line and column") {
  const std::string text = "{\n  \"lr\": 0.1,\n  \"epochs\": 5x\n}";
  CHECK_THROWS_WITH(parse_json_text(text, "grid.json"), Catch::StartsWith("grid.json:3:14: not valid JSON"));
}

TEST_CASE("a missing file is an input error naming it") {
  CHECK_THROWS_AS(parse_json_file("/nonexistent/grid.json"), InputError);
  CHECK_THROWS_WITH(parse_json_file("/nonexistent/grid.json"), "/nonexistent/grid.json: cannot open file");
}

TEST_CASE("a choice lists what it accepts") {
  CHECK_THROWS_WITH(read_choice(nlohmann::json("gpu"), "device", {"cpu", "cuda"}),
                    "device: expected \"cpu\" or \"cuda\", got \"gpu\"");
}

TEST_CASE("a number too large for a double is reported where it stands (found by the fuzzer)") {
  CHECK_THROWS_WITH(parse_json_text("{\n  \"lr\": 2e308\n}", "grid.json"),
                    "grid.json:2:9: not valid JSON: number overflow parsing '2e308'");
}

TEST_CASE("JSON nested deeper than a grid ever is refused before it is parsed, with its place") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(parse_json_text(deep, "deep.json"),
                    "deep.json:1:65: not valid here: JSON nested deeper than 64 levels");
  CHECK_NOTHROW(parse_json_text(R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", "ok.json"));
  CHECK_NOTHROW(parse_json_text(std::string(64, '[') + std::string(64, ']'), "ok.json"));
}

TEST_CASE("an error about a string that is not UTF-8 is still an InputError") {
  const nlohmann::json bad = std::string("\x88name");
  CHECK_THROWS_AS(fail_at("tasks[0]", "a known task", bad), InputError);
}
