// RFC 4180 CSV through libcsv: fields with commas, quotes or line breaks are quoted, quotes doubled.
// Lines end in "\n".
#pragma once

#include <istream>
#include <memory>
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
std::optional<std::size_t> find_in_header(const std::vector<std::string>& header, const std::string& name);
std::optional<std::size_t> find_column(const CsvTable& table, const std::string& name);
// "file:7: column 32 (wall_s)": where the field of `column` on `line` stands.
std::string field_place(const std::string& path, std::size_t line, const std::vector<std::string>& header,
                        std::size_t column);
// "file:7: column 32 (wall_s)": where a field of `table`, read from `path`, stands.
std::string field_location(const CsvTable& table, const std::string& path, std::size_t row, std::size_t column);
// A number as bsweep writes one: a finite decimal ([-]digits[.digits][e[+-]digits], within double's range), or
// nan, -nan, inf, -inf. nullopt for anything else (spaces, hex, "1e400", "infinity", "+1").
std::optional<double> parse_strict_number(std::string_view field);
// The field as a number (parse_strict_number): nullopt when empty; anything else that is not a number is an
// InputError naming file:line and the column.
std::optional<double> field_number(const CsvTable& table, const std::string& path, std::size_t row,
                                   std::size_t column);

// A CSV file read a row at a time, in memory that grows with the longest row, not the file: the readers of a
// results folder fold its rows as they come. The same rules as read_csv (below), which is built on it; errors
// are InputErrors naming the source and line.
class CsvRowReader {
 public:
  static CsvRowReader open_file(const std::string& path);  // InputError when it cannot be opened
  static CsvRowReader from_text(const std::string& text, const std::string& source_name);
  CsvRowReader(CsvRowReader&&) noexcept;
  CsvRowReader& operator=(CsvRowReader&&) noexcept;
  ~CsvRowReader();

  // The next row (the header first): false at the end of the file. The fields and line stay valid until the
  // next call. A row whose field count differs from the first row's is an error.
  bool next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return line_; }  // 1-based line on which the row starts
  const std::string& source() const { return source_; }
  // The buffer the row's fields view; holding it keeps them valid past the next call (the reader then reads on
  // into another). A field that held doubled quotes is the exception: in_buffer tells, and it must be copied.
  std::shared_ptr<const std::string> buffer() const;
  bool in_buffer(std::string_view field) const;

 private:
  struct State;
  CsvRowReader(std::unique_ptr<std::istream> in, std::string source);
  std::unique_ptr<State> state_;
  std::string source_;
  std::vector<std::string_view> fields_;
  std::size_t line_ = 0;
};

// Reads a whole CSV file (a UTF-8 byte-order mark skipped; lines may end in CRLF). Malformed quoting, bytes that
// are not UTF-8, or a row whose field count differs from the header's is an InputError naming the file and line.
CsvTable read_csv(const std::string& path);
CsvTable parse_csv(const std::string& text, const std::string& source_name);

}  // namespace bsweep
