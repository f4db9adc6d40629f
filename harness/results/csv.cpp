#include "results/csv.h"

#include "json_path.h"

#include <csv.h>
#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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

// The offset of the first byte of `text` that does not begin or continue a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF are not well formed); npos when all are.
std::size_t first_bad_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    // ASCII, the bulk of a results file, eight bytes at a time.
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
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

// A row as libcsv hands it over: its fields end to end in one text.
struct ParsedRow {
  std::string text;
  std::vector<std::size_t> ends;
  std::size_t line = 0;
};

}  // namespace

struct CsvRowReader::State {
  std::unique_ptr<std::istream> in;
  csv_parser parser{};
  std::string buffer;       // read from `in`, not yet fed
  std::size_t fed = 0;      // bytes of `buffer` fed to the parser
  bool at_start = true, at_end = false, finished = false;
  std::size_t line = 1;       // line being fed to the parser
  std::size_t row_start = 1;  // line on which the row being built began
  ParsedRow building;
  std::vector<ParsedRow> ready;  // rows complete, not yet handed out; `spare` keeps their buffers
  std::size_t handed = 0;
  std::size_t width = 0;  // fields of the first row
  bool have_width = false;

  ~State() { csv_free(&parser); }

  static void on_field(void* data, std::size_t length, void* raw) {
    auto* state = static_cast<State*>(raw);
    if (state->building.ends.empty()) state->building.line = state->row_start = state->line;
    if (length) state->building.text.append(static_cast<const char*>(data), length);
    state->building.ends.push_back(state->building.text.size());
  }
  static void on_row(int, void* raw) {
    auto* state = static_cast<State*>(raw);
    state->ready.push_back(std::move(state->building));
    state->building = ParsedRow{};
  }
};

CsvRowReader::CsvRowReader(std::unique_ptr<std::istream> in, std::string source)
    : state_(std::make_unique<State>()), source_(std::move(source)) {
  state_->in = std::move(in);
  if (csv_init(&state_->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::runtime_error("cannot initialise libcsv");
  // libcsv trims spaces and tabs around unquoted fields by default; a field is read as written (" 1.5" is not a
  // number bsweep writes, and an error text's spaces are its own).
  csv_set_space_func(&state_->parser, [](unsigned char) { return 0; });
}
CsvRowReader::CsvRowReader(CsvRowReader&&) noexcept = default;
CsvRowReader& CsvRowReader::operator=(CsvRowReader&&) noexcept = default;
CsvRowReader::~CsvRowReader() = default;

CsvRowReader CsvRowReader::open_file(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) throw InputError(fmt::format("{}: cannot open file", path));
  return CsvRowReader(std::move(in), path);
}

CsvRowReader CsvRowReader::from_text(const std::string& text, const std::string& source_name) {
  return CsvRowReader(std::make_unique<std::istringstream>(text), source_name);
}

bool CsvRowReader::next() {
  State& s = *state_;
  const auto fail = [&](std::size_t line, const std::string& why) {
    throw InputError(fmt::format("{}:{}: {}", source_, line, why));
  };
  // Feeds the parser a line at a time, so that the callbacks know which line they are on, until a row is done.
  while (s.handed == s.ready.size() && !s.finished) {
    s.ready.clear();
    s.handed = 0;
    auto end = s.buffer.find('\n', s.fed);
    if (end == std::string::npos && !s.at_end) {  // no whole line left: read on
      s.buffer.erase(0, s.fed);
      s.fed = 0;
      const std::size_t had = s.buffer.size();
      s.buffer.resize(had + (1 << 20));
      s.in->read(&s.buffer[had], 1 << 20);
      s.buffer.resize(had + static_cast<std::size_t>(s.in->gcount()));
      if (s.in->bad()) fail(s.line, "cannot read the file");
      if (s.in->eof()) s.at_end = true;
      if (s.at_start && s.buffer.size() >= 3) {
        // A UTF-8 byte-order mark (a spreadsheet's export) is not part of the first column's name.
        if (s.buffer.compare(0, 3, "\xef\xbb\xbf") == 0) s.fed = 3;
        s.at_start = false;
      }
      continue;
    }
    if (s.fed == s.buffer.size()) {  // all fed, the file at its end
      if (csv_fini(&s.parser, State::on_field, State::on_row, &s) != 0)
        fail(s.row_start, std::string("not valid CSV: ") + csv_strerror(csv_error(&s.parser)));
      s.finished = true;
      break;
    }
    end = end == std::string::npos ? s.buffer.size() : end + 1;
    const std::string_view text(s.buffer.data() + s.fed, end - s.fed);
    // Every reader hands fields on as text (JSON, HTML, a terminal): bytes that are not UTF-8 stop here.
    const std::size_t bad = first_bad_utf8(text);
    if (bad != std::string_view::npos)
      fail(s.line, fmt::format("byte {} (0x{:02x}) is not UTF-8 text", bad + 1, static_cast<unsigned char>(text[bad])));
    if (csv_parse(&s.parser, text.data(), text.size(), State::on_field, State::on_row, &s) != text.size())
      fail(s.line, std::string("not valid CSV: ") + csv_strerror(csv_error(&s.parser)));
    s.fed = end;
    ++s.line;
  }
  if (s.handed == s.ready.size()) {
    if (!s.have_width) fail(1, "empty file, expected a header line");
    return false;
  }
  const ParsedRow& row = s.ready[s.handed++];
  fields_.clear();
  std::size_t begin = 0;
  for (const auto end : row.ends) {
    fields_.emplace_back(row.text.data() + begin, end - begin);
    begin = end;
  }
  line_ = row.line;
  if (!s.have_width) {
    s.width = fields_.size();
    s.have_width = true;
  } else if (fields_.size() != s.width) {
    fail(line_, fmt::format("expected {} fields as in the header, got {}", s.width, fields_.size()));
  }
  return true;
}

namespace {

CsvTable read_table(CsvRowReader reader) {
  CsvTable table;
  reader.next();  // the header; an empty file is an error
  table.header.assign(reader.fields().begin(), reader.fields().end());
  while (reader.next()) {
    table.rows.emplace_back(reader.fields().begin(), reader.fields().end());
    table.row_lines.push_back(reader.line());
  }
  return table;
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source_name) {
  return read_table(CsvRowReader::from_text(text, source_name));
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

CsvTable read_csv(const std::string& path) { return read_table(CsvRowReader::open_file(path)); }

}  // namespace bsweep
