#include "results/csv.h"

#include "json_path.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("fields are quoted only when RFC 4180 needs it") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
}

TEST_CASE("commas, quotes and line breaks survive a round trip") {
  const std::vector<std::string> header = {"id", "text", "json"};
  const std::vector<std::string> row = {"1", "a \"quoted\", two-line\nfield", R"({"hidden":[32,32]})"};
  const std::vector<std::string> empty_fields = {"2", "", ""};
  const auto table = parse_csv(csv_line(header) + csv_line(row) + csv_line(empty_fields), "mem.csv");
  CHECK(table.header == header);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0] == row);
  CHECK(table.rows[1] == empty_fields);
  CHECK(table.row_lines == std::vector<std::size_t>{2, 4});  // the quoted line break takes a line
}

TEST_CASE("a row with the wrong number of fields is reported with its file and line") {
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\n3\n", "runs.csv"), "runs.csv:3: expected 2 fields as in the header, got 1");
}

TEST_CASE("an unterminated quote is not valid CSV") {
  CHECK_THROWS_AS(parse_csv("a,b\n1,\"open\n", "bad.csv"), InputError);
}

TEST_CASE("spaces and tabs around a field are part of it, as written") {
  const std::vector<std::string> row = {" 1.5", "\ttab ", "  "};
  const auto table = parse_csv(csv_line({"a", "b", "c"}) + csv_line(row), "mem.csv");
  CHECK(table.rows.at(0) == row);
  CHECK_FALSE(parse_strict_number(table.rows[0][0]));  // " 1.5" is not a number bsweep writes
}

TEST_CASE("bytes that are not UTF-8 are refused with their line and place; UTF-8 text stands") {
  const auto table = parse_csv("name,unit\nσ² ✓,µs\n\xf0\x9f\x99\x82,x\n", "mem.csv");
  CHECK(table.rows.at(0).at(0) == "σ² ✓");
  CHECK(table.rows.at(1).at(0) == "\xf0\x9f\x99\x82");
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\nx,\x88y\n", "runs.csv"), "runs.csv:3: byte 3 (0x88) is not UTF-8 text");
  // Overlong, surrogate, past U+10FFFF, cut short at the end.
  for (const std::string bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
    CHECK_THROWS_AS(parse_csv("a\n" + bad + "\n", "mem.csv"), InputError);
}
