// RFC 4180 CSV through libcsv: fields with commas, quotes or line breaks are quoted, quotes doubled.
// Lines end in "\n".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bsweep {

std::string csv_field(std::string_view text);
std::string csv_line(const std::vector<std::string>& fields);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> row_lines;  // 1-based line on which each row starts
};

// The index of the column named `name`, if the header has one.
std::optional<std::size_t> find_column(const CsvTable& table, const std::string& name);
// "file:7: column 32 (wall_s)": where a field of `table`, read from `path`, stands.
std::string field_location(const CsvTable& table, const std::string& path, std::size_t row, std::size_t column);
// A number as bsweep writes one: a finite decimal ([-]digits[.digits][e[+-]digits], within double's range), or
// nan, -nan, inf, -inf. nullopt for anything else (spaces, hex, "1e400", "infinity", "+1").
std::optional<double> parse_strict_number(const std::string& field);
// The field as a number (parse_strict_number): nullopt when empty; anything else that is not a number is an
// InputError naming file:line and the column.
std::optional<double> field_number(const CsvTable& table, const std::string& path, std::size_t row,
                                   std::size_t column);

// Reads a whole CSV file (a UTF-8 byte-order mark skipped; lines may end in CRLF). Malformed quoting, bytes that
// are not UTF-8, or a row whose field count differs from the header's is an InputError naming the file and line.
CsvTable read_csv(const std::string& path);
CsvTable parse_csv(const std::string& text, const std::string& source_name);

}  // namespace bsweep
