#include "results/csv.h"

#include "util/json_path.h"

#include <catch2/catch.hpp>
#include <csv.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace bsweep;
using Catch::Matchers::Contains;

namespace testing {
// The text with its line breaks and quotes visible, for a failure's message.
std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string(1, c);
  return out;
}
}  // namespace testing

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

namespace {

// What libcsv reads from `text` with the options the reader promises to match (CSV_STRICT, CSV_STRICT_FINI, no
// trimming): the rows, or nullopt where it fails or the rows' field counts differ.
std::optional<std::vector<std::vector<std::string>>> libcsv_reads(const std::string& text) {
  struct Collect {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
  } collect;
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  csv_set_space_func(&parser, [](unsigned char) { return 0; });
  const auto on_field = [](void* data, std::size_t length, void* out) {
    static_cast<Collect*>(out)->row.emplace_back(static_cast<const char*>(data), length);
  };
  const auto on_row = [](int, void* out) {
    auto* c = static_cast<Collect*>(out);
    c->rows.push_back(std::move(c->row));
    c->row.clear();
  };
  const bool parsed = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &collect) == text.size() &&
                      csv_fini(&parser, on_field, on_row, &collect) == 0;
  csv_free(&parser);
  if (!parsed || collect.rows.empty()) return std::nullopt;
  for (const auto& row : collect.rows)
    if (row.size() != collect.rows[0].size()) return std::nullopt;
  return collect.rows;
}

}  // namespace

TEST_CASE("the reader reads every text as libcsv does, or fails where libcsv fails") {
  // Random short texts over the characters that matter to CSV, and a multi-byte letter.
  const std::vector<std::string> alphabet = {"a", "b", ",", "\"", "\n", "\r", " ", "\xc3\xa9"};
  std::mt19937 draw(2026);
  std::size_t read = 0, failed = 0;
  for (int k = 0; k < 40000; ++k) {
    std::string text;
    const auto length = draw() % 14;
    for (unsigned i = 0; i < length; ++i) text += alphabet[draw() % alphabet.size()];
    const auto expected = libcsv_reads(text);
    std::optional<std::vector<std::vector<std::string>>> got;
    try {
      const auto table = parse_csv(text, "mem.csv");
      got.emplace();
      got->push_back(table.header);
      got->insert(got->end(), table.rows.begin(), table.rows.end());
    } catch (const InputError&) {
    }
    INFO("text: " << testing::escape(text));
    REQUIRE(got == expected);
    (got ? read : failed) += 1;
  }
  CHECK(read > 5000);  // both outcomes are well sampled
  CHECK(failed > 5000);
}

TEST_CASE("the reader names what is wrong with a quote, and its line") {
  CHECK_THROWS_WITH(parse_csv("a,b\n1,x\"y\n", "q.csv"), Contains("q.csv:2: not valid CSV: a quote inside a field"));
  CHECK_THROWS_WITH(parse_csv("a,b\n\"1\"x,2\n", "q.csv"),
                    Contains("q.csv:2: not valid CSV: a quoted field ends but \"x\" follows its closing quote"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\"two\nlines\"\n2,\"open\n\n", "q.csv"),
                    Contains("q.csv:4: not valid CSV: a quoted field is never closed"));
  CHECK_THROWS_WITH(parse_csv("a,b\n\"x\ny\",\xff\n", "q.csv"), "q.csv:3: byte 4 (0xff) is not UTF-8 text");
}

TEST_CASE("rows longer than the reader's block, and line ends of every kind, read whole") {
  const std::string big(3 << 20, 'x');  // three of the reader's 1 MiB blocks
  const auto table = parse_csv("a,b\r\n\"" + big + "\",1\r\n\r\n2,\"\"\"\"\r3,4", "mem.csv");
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0][0] == big);
  CHECK(table.rows[1] == std::vector<std::string>{"2", "\""});
  CHECK(table.rows[2] == std::vector<std::string>{"3", "4"});
  CHECK(table.row_lines == std::vector<std::size_t>{2, 4, 4});  // a lone CR ends a row, not a line
}
