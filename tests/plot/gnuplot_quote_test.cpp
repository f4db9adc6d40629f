// gnuplot_text and gnuplot_path against the real gnuplot: hostile strings (backticks, $(...), @macros, quotes,
// backslashes, line breaks, enhanced-text marks, any byte) are printed back by gnuplot exactly, and none of the
// shell commands they carry runs. BSWEEP_QUOTE_FUZZ_SECONDS=S keeps drawing random strings for S seconds (the
// fuzz run the closing notes quote); by default one fixed-seed batch.
#include "plot/gnuplot.h"
#include "plot/gnuplot_quote.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

using bsweep::gnuplot_path;
using bsweep::gnuplot_text;

namespace {

// Pieces a hostile results file would use; each command would leave a file named "pwned*" in `dir`.
std::vector<std::string> hostile_pieces(const std::string& dir) {
  const std::string touch = "touch " + dir + "/pwned";
  return {"`" + touch + "1`", "$(" + touch + "2)", "\"; system(\"" + touch + "3\"); print \"", "'; system('" + touch + "4'); '",
          "@x", "\\", "\\\"", "\n", "\r", "\t", "_", "^", "{", "}", "&", "~", "@", "%", "$", "#", ";", "\\n", "\\`",
          "\xc3\xa9", "\xe2\x80\x94", "\xff", "x", " ", "'", "\"", "EOD\n", "\nprint 1\n", "\\140"};
}

std::string random_string(std::mt19937_64& rng, const std::vector<std::string>& pieces) {
  std::string text;
  const int parts = static_cast<int>(rng() % 8);
  for (int i = 0; i < parts; ++i) {
    if (rng() % 3 == 0) {
      text += static_cast<char>(1 + rng() % 255);  // any byte but NUL, which no C string holds
    } else {
      text += pieces[rng() % pieces.size()];
    }
  }
  return text;
}

// What gnuplot prints for a text quoted in enhanced mode: each mark, and the backslash, behind a backslash.
std::string enhanced_form(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string("_^{}@&~\\").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// Runs one gnuplot over `texts`, printing each (through both quotings) between separators, and checks the output.
void check_round_trip(const std::vector<std::string>& texts, const std::string& dir) {
  const std::string printed = dir + "/printed.txt";
  std::string script = "set print " + gnuplot_path(printed) + "\n";
  for (const auto& text : texts) script += "print " + gnuplot_path(text) + "\nprint " + gnuplot_text(text) + "\n";
  bsweep::run_gnuplot(script);
  std::ifstream in(printed, std::ios::binary);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string expected;
  for (const auto& text : texts) expected += text + "\n" + enhanced_form(text) + "\n";
  if (output != expected) {
    std::size_t at = 0;
    while (at < output.size() && at < expected.size() && output[at] == expected[at]) ++at;
    std::string context;
    for (std::size_t i = at > 20 ? at - 20 : 0; i < at + 20 && i < expected.size(); ++i)
      context += fmt::format("{:02x}{}", static_cast<unsigned char>(expected[i]), i == at ? "<" : " ");
    FAIL(fmt::format("gnuplot printed other text, from byte {} of {}: expected {}", at, expected.size(), context));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    REQUIRE(entry.path().filename().string().rfind("pwned", 0) != 0);
}

}  // namespace

TEST_CASE("gnuplot_text writes nothing but inert characters, octal escapes and its quotes") {
  for (const std::string text : {"a`b`", "$(rm -rf x)", "@macro", "\"x\\", "a_b^{c}&~"}) {
    const auto quoted = gnuplot_text(text);
    CHECK(quoted.front() == '"');
    CHECK(quoted.back() == '"');
    CHECK(quoted.substr(1, quoted.size() - 2).find_first_of("`$@\"{}_^&~") == std::string::npos);
  }
  CHECK(gnuplot_path("a`b") == "\"a\\140b\"");
  CHECK(gnuplot_text("lr_used") == "\"lr\\134\\137used\"");
  CHECK(gnuplot_text("two\nlines") == "\"two\\nlines\"");
}

TEST_CASE("hostile strings reach gnuplot as text, and no command in them runs") {
  bsweep::test::TempDir dir;
  const auto pieces = hostile_pieces(dir.path());
  check_round_trip(pieces, dir.path());
  std::mt19937_64 rng(20261202);
  const char* fuzz = std::getenv("BSWEEP_QUOTE_FUZZ_SECONDS");
  const double seconds = fuzz ? std::atof(fuzz) : 0;
  const auto start = std::chrono::steady_clock::now();
  std::size_t inputs = pieces.size();
  do {
    std::vector<std::string> texts;
    for (int i = 0; i < 500; ++i) texts.push_back(random_string(rng, pieces));
    check_round_trip(texts, dir.path());
    inputs += texts.size();
  } while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds);
  if (seconds > 0) WARN(fmt::format("{} strings printed back exactly in {} s, no command ran", inputs, seconds));
}
