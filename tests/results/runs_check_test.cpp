#include "results/runs_check.h"

#include "util/errors.h"
#include "results/csv.h"
#include "results/row_digest.h"
#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

using namespace bsweep;
using Catch::Matchers::Contains;

namespace {

const std::string kQuick = std::string(BSWEEP_SOURCE_DIR) + "/results/reference/quick/runs.csv";

std::string quick_text() {
  std::ifstream in(kQuick, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The quick baseline with field `column` of data row `row` (0-based) replaced.
CsvTable edited(std::size_t row, const std::string& column, const std::string& value) {
  auto table = parse_csv(quick_text(), "runs.csv");
  table.rows.at(row).at(*find_column(table, column)) = value;
  return table;
}

std::string error_of(const CsvTable& table) {
  try {
    check_runs_table(table, "runs.csv");
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("every row bsweep wrote passes the strict check, its ids recomputed from its settings") {
  const auto table = read_csv(kQuick);
  const auto rows = check_runs_table(table, kQuick);
  CHECK(rows.size() == table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) CHECK(run_id_of_row(table, kQuick, r) == table.rows[r][0]);
}

TEST_CASE("a row whose settings were edited under its run id is refused, naming line and column") {
  CHECK_THAT(error_of(edited(0, "lr", "0.5")), Contains("runs.csv:2: column 1 (run_id)") && Contains("not the id of this row's settings"));
  CHECK_THAT(error_of(edited(2, "seed", "7")), Contains("runs.csv:4: column 1 (run_id)"));
  CHECK_THAT(error_of(edited(0, "run_id", "0123456789ab")), Contains("not the id"));
}

TEST_CASE("names and kinds in a row are checked as a grid's") {
  CHECK_THAT(error_of(edited(0, "task", "linear`touch pwned`")),
             Contains("runs.csv:2: this row's settings are not a run bsweep makes") && Contains("task"));
  CHECK_THAT(error_of(edited(0, "dtype", "float32;$(id)")), Contains("runs.csv:2:"));
  CHECK_THAT(error_of(edited(0, "shuffle", "yes")), Contains("column 23 (shuffle): expected true or false"));
  CHECK_THAT(error_of(edited(0, "status", "fine")), Contains("expected a status"));
}

TEST_CASE("numbers are read strictly, and a finished run's are finite") {
  CHECK_THAT(error_of(edited(0, "final_test_loss", "nan")), Contains("in a run whose status is ok"));
  CHECK_THAT(error_of(edited(0, "final_test_loss", "inf")), Contains("in a run whose status is ok"));
  for (const std::string bad : {"1e400", "1e-400", "0x1p3", " 1.5", "1.5 ", "+1", "infinity", "1,5", "1e", ".", "-"})
    CHECK_THAT(error_of(edited(0, "wall_s", bad)), Contains("expected a number"));
  CHECK(parse_strict_number("4.9e-324").value() > 0);  // a subnormal is a number
  CHECK(parse_strict_number("-0.25e+3").value() == -250);
  CHECK(std::isnan(parse_strict_number("nan").value()));
  auto diverged = edited(0, "status", "diverged");
  diverged.rows[0][*find_column(diverged, "final_train_loss")] = "nan";
  CHECK(error_of(diverged).empty());
}

TEST_CASE("a run recorded twice is an error naming both lines, unless the caller resolves duplicates") {
  auto table = read_csv(kQuick);
  table.rows.push_back(table.rows[3]);
  table.row_lines.push_back(table.row_lines.back() + 1);
  CHECK_THAT(error_of(table), Contains("is recorded twice, here and on line 5"));
  CHECK(check_runs_table(table, "runs.csv", Duplicates::allow).size() == table.rows.size() - 1);
}

TEST_CASE("a byte-order mark and CRLF line ends are read as the plain file") {
  auto text = quick_text();
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const auto plain = parse_csv(text, "runs.csv");
  const auto marked = parse_csv("\xef\xbb\xbf" + crlf, "runs.csv");
  CHECK(marked.header == plain.header);
  CHECK(marked.rows == plain.rows);
  CHECK(marked.row_lines == plain.row_lines);
}

TEST_CASE("a row whose digest does not match its fields is refused; a runs.csv without digests is read as it is") {
  bsweep::test::TempDir dir;
  std::vector<Row> rows = {bsweep::test::fake_run({}), bsweep::test::fake_run({{"seed", "1"}})};
  bsweep::test::write_runs(dir.path() + "/runs.csv", rows);
  auto table = read_csv(dir.path() + "/runs.csv");
  CHECK_NOTHROW(check_runs_table(table, "runs.csv"));
  const auto loss = *find_column(table, "final_train_loss"), digest = *find_column(table, "row_digest");
  table.rows[1][loss] = "0.5";  // a measure retyped: the run id cannot tell, the digest does
  CHECK_THAT(error_of(table), Contains(fmt::format("runs.csv:3: column {} (row_digest): the row's fields are not "
                                                   "those bsweep wrote for run", digest + 1)));
  table.rows[1][digest] = row_digest(table.rows[1], digest);  // recomputed on purpose: a checksum, not a signature
  CHECK(error_of(table).empty());
  using Fields = std::vector<std::string>;
  CHECK(row_digest(Fields{"ab", "c"}, 9) != row_digest(Fields{"a", "bc"}, 9));
  CHECK(row_digest(Fields{"a", "x", "b"}, 1) == row_digest(Fields{"a", "y", "b"}, 1));  // its own field left out
  CHECK(row_digest(std::vector<std::string_view>{"a", "x", "b"}, 1) == row_digest(Fields{"a", "x", "b"}, 1));
  // The committed baseline comes from a bsweep before digests: no column, nothing to check.
  CHECK(error_of(parse_csv(quick_text(), "runs.csv")).empty());
}
