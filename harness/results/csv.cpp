#include "results/csv.h"

#include "json_path.h"

#include <csv.h>
#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bsweep {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted(text.size() * 2 + 2, '\0');  // csv_write's worst case
  quoted.resize(csv_write(quoted.data(), quoted.size(), text.data(), text.size()));
  return quoted;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csv_field(fields[i]);
  }
  line += '\n';
  return line;
}

namespace {

struct ParseState {
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> row_lines;
  std::size_t line = 1;       // line being fed to the parser
  std::size_t row_start = 1;  // line on which the current row began
};

void on_field(void* data, std::size_t length, void* raw) {
  auto* state = static_cast<ParseState*>(raw);
  if (state->fields.empty()) state->row_start = state->line;
  state->fields.push_back(length == 0 ? std::string() : std::string(static_cast<const char*>(data), length));
}

void on_row(int, void* raw) {
  auto* state = static_cast<ParseState*>(raw);
  state->rows.push_back(std::move(state->fields));
  state->row_lines.push_back(state->row_start);
  state->fields.clear();
}

// The offset of the first byte of `text` that does not begin or continue a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF are not well formed); npos when all are.
std::size_t first_bad_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // the range the second byte may take
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;
      if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;
      if (lead == 0xf4) high = 0x8f;
    } else {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= text.size()) return i;
      const unsigned char next = byte(i + k);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source_name) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::runtime_error("cannot initialise libcsv");
  // libcsv trims spaces and tabs around unquoted fields by default; a field is read as written (" 1.5" is not a
  // number bsweep writes, and an error text's spaces are its own).
  csv_set_space_func(&parser, [](unsigned char) { return 0; });
  ParseState state;
  // A UTF-8 byte-order mark (a spreadsheet's export) is not part of the first column's name.
  const std::size_t bom = text.compare(0, 3, "\xef\xbb\xbf") == 0 ? 3 : 0;
  // Fed one line at a time, so that the callbacks know which line they are on.
  std::size_t begin = bom;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    // Every reader hands fields on as text (JSON, HTML, a terminal): bytes that are not UTF-8 stop here.
    const std::size_t bad = first_bad_utf8(std::string_view(text).substr(begin, end - begin));
    if (bad != std::string_view::npos) {
      csv_free(&parser);
      throw InputError(fmt::format("{}:{}: byte {} (0x{:02x}) is not UTF-8 text", source_name, state.line, bad + 1,
                                   static_cast<unsigned char>(text[begin + bad])));
    }
    if (csv_parse(&parser, text.data() + begin, end - begin, on_field, on_row, &state) != end - begin) {
      std::string reason = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      throw InputError(fmt::format("{}:{}: not valid CSV: {}", source_name, state.line, reason));
    }
    ++state.line;
    begin = end;
  }
  if (csv_fini(&parser, on_field, on_row, &state) != 0) {
    std::string reason = csv_strerror(csv_error(&parser));
    csv_free(&parser);
    throw InputError(fmt::format("{}:{}: not valid CSV: {}", source_name, state.row_start, reason));
  }
  csv_free(&parser);

  CsvTable table;
  if (state.rows.empty()) throw InputError(fmt::format("{}:1: empty file, expected a header line", source_name));
  table.header = std::move(state.rows.front());
  for (std::size_t i = 1; i < state.rows.size(); ++i) {
    if (state.rows[i].size() != table.header.size())
      throw InputError(fmt::format("{}:{}: expected {} fields as in the header, got {}", source_name,
                                   state.row_lines[i], table.header.size(), state.rows[i].size()));
    table.rows.push_back(std::move(state.rows[i]));
    table.row_lines.push_back(state.row_lines[i]);
  }
  return table;
}

std::optional<std::size_t> find_column(const CsvTable& table, const std::string& name) {
  for (std::size_t i = 0; i < table.header.size(); ++i)
    if (table.header[i] == name) return i;
  return std::nullopt;
}

std::string field_location(const CsvTable& table, const std::string& path, std::size_t row, std::size_t column) {
  return fmt::format("{}:{}: column {} ({})", path, table.row_lines[row], column + 1, table.header[column]);
}

std::optional<double> parse_strict_number(const std::string& field) {
  if (field == "nan" || field == "-nan") return std::nan("");
  if (field == "inf") return HUGE_VAL;
  if (field == "-inf") return -HUGE_VAL;
  // A decimal as bsweep writes it: [-]digits[.digits][e[+-]digits]; no spaces, hex, "infinity" or "+".
  std::size_t i = field[0] == '-' ? 1 : 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < field.size() && std::isdigit(static_cast<unsigned char>(field[i]))) ++i;
    return i - from;
  };
  std::size_t mantissa = digits();
  if (i < field.size() && field[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return std::nullopt;
  if (i < field.size() && (field[i] == 'e' || field[i] == 'E')) {
    ++i;
    if (i < field.size() && (field[i] == '+' || field[i] == '-')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != field.size()) return std::nullopt;
  errno = 0;
  const double value = std::strtod(field.c_str(), nullptr);
  // Out of range: past the largest double (1e400), or a non-zero that rounds to 0 (1e-400). Subnormals stand.
  const bool nonzero = field.find_first_of("123456789") < field.find_first_of("eE");
  if (!std::isfinite(value) || (value == 0 && nonzero)) return std::nullopt;
  return value;
}

std::optional<double> field_number(const CsvTable& table, const std::string& path, std::size_t row,
                                   std::size_t column) {
  const std::string& field = table.rows[row][column];
  if (field.empty()) return std::nullopt;
  if (auto value = parse_strict_number(field)) return value;
  throw InputError(fmt::format("{}: expected a number, got \"{}\"",
                               field_location(table, path, row, column), field));
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open file", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_csv(buffer.str(), path);
}

}  // namespace bsweep
