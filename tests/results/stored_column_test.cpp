#include "results/stored_column.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

using namespace bsweep;

namespace {

double number_of(const std::string& text) { return text.empty() ? std::nan("") : std::stod(text); }

}  // namespace

TEST_CASE("a column of few texts gives each row's text back, and equal codes for equal texts") {
  StoredColumn column(false, true);
  const std::vector<std::string> texts = {"sgd", "adam", "sgd", "", "adam"};
  for (const auto& text : texts) column.append(text, std::nan(""));
  REQUIRE(column.size() == texts.size());
  CHECK(column.coded());
  for (std::size_t r = 0; r < texts.size(); ++r) CHECK(column.text(r) == texts[r]);
  CHECK(column.code(0) == column.code(2));
  CHECK(column.code(0) != column.code(1));
  CHECK(column.text_of_code(column.code(1)) == "adam");
  CHECK(column.empty(3));
  CHECK_FALSE(column.empty(0));
}

TEST_CASE("a column of numbers past a few thousand texts keeps values, and texts spelled otherwise as written") {
  StoredColumn column(true, false);
  std::vector<std::string> texts;
  for (int i = 0; i < 10000; ++i) texts.push_back(fmt::format("{}", 0.001 * i + 1e-9));
  texts[7] = "0.50";    // a value whose shortest spelling is 0.5
  texts[5000] = "1e2";  // 100
  texts[6000] = "";
  texts[9000] = "-0";
  for (const auto& text : texts) column.append(text, number_of(text));
  CHECK_FALSE(column.coded());
  for (std::size_t r = 0; r < texts.size(); ++r) {
    INFO("row " << r);
    CHECK(column.text(r) == texts[r]);
  }
  CHECK(column.number(7) == 0.5);
  CHECK(column.number(5000) == 100);
  CHECK_FALSE(column.number(6000));
  CHECK(column.empty(6000));
  CHECK(std::signbit(*column.number(9000)));
}

TEST_CASE("a column of text past a few thousand distinct texts keeps them end to end") {
  StoredColumn column(false, false);
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i) texts.push_back(i % 7 == 0 ? "" : fmt::format("{:012x}", i * 2654435761u));
  for (const auto& text : texts) column.append(text, std::nan(""));
  CHECK_FALSE(column.coded());
  for (std::size_t r = 0; r < texts.size(); ++r) CHECK(column.text(r) == texts[r]);
  CHECK(column.empty(0));
}

TEST_CASE("a setting's column stays coded however many texts it has, with codes wider than a byte") {
  StoredColumn column(true, true);
  for (int i = 0; i < 70000; ++i) column.append(std::to_string(i), i);
  CHECK(column.coded());
  CHECK(column.code(69999) == 69999);
  CHECK(column.text(300) == "300");
  CHECK(column.number(65536) == 65536);
}

TEST_CASE("a column of texts of one width keeps no ends until a text of another width comes") {
  StoredColumn column(false, false);
  std::vector<std::string> texts;
  for (int i = 0; i < 6000; ++i) texts.push_back(fmt::format("{:012x}", i * 2654435761u));
  texts.push_back("short");
  texts.push_back("");
  texts.push_back("0123456789ab");
  for (const auto& text : texts) column.append(text, std::nan(""));
  for (std::size_t r = 0; r < texts.size(); ++r) {
    INFO("row " << r);
    CHECK(column.text(r) == texts[r]);
  }
  CHECK(column.empty(6001));
  CHECK_FALSE(column.empty(6000));
}
