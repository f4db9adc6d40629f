#include "results/csv.h"

#include "util/json_path.h"

#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
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

}  // namespace

// The reader is our own, not libcsv's csv_parse: libcsv calls back a byte at a time and read results files at
// about 80 MB/s here, too slow for a runs.csv of a million runs (520 MB); this one scans a field at a time and
// hands out views into its buffer. It reads exactly what libcsv reads with CSV_STRICT (tests/results/
// csv_test.cpp compares the two on random texts): RFC 4180 fields, a quoted field may hold commas, quotes
// doubled and line breaks; a row ends at LF, CR or CRLF; blank lines are skipped; a quote inside an unquoted
// field, text after a closing quote and a quote never closed are errors.
namespace {

// The bytes that end (or spoil) an unquoted field, by table: a field's bytes are looked at once each.
constexpr std::array<bool, 256> kEndsUnquoted = [] {
  std::array<bool, 256> table{};
  table[','] = table['\n'] = table['\r'] = table['"'] = true;
  return table;
}();
bool ends_unquoted(char c) { return kEndsUnquoted[static_cast<unsigned char>(c)]; }

}  // namespace

struct CsvRowReader::State {
  std::unique_ptr<std::istream> in;
  // Read from `in`; [pos, size) not yet parsed. Shared: a reader of the rows may keep a buffer whose rows it
  // has not finished with (CsvRowReader::buffer), and the next read then goes to another.
  std::shared_ptr<std::string> buffer = std::make_shared<std::string>();
  std::vector<std::shared_ptr<std::string>> spares;  // buffers given back, for the next reads
  std::size_t pos = 0;
  bool at_start = true, at_end = false;
  std::size_t line = 1;   // the line of buffer[pos]
  std::string unquoted;   // the fields that held doubled quotes, without them
  std::size_t width = 0;  // fields of the first row
  bool have_width = false;

  // A buffer no one else holds, holding the bytes of the current one not parsed yet. `spares` never holds the
  // current buffer: a spare whose only holder is that list is free.
  void renew_buffer() {
    if (buffer.use_count() == 1) {
      buffer->erase(0, pos);
    } else {
      std::shared_ptr<std::string> next;
      for (auto spare = spares.begin(); spare != spares.end(); ++spare)
        if (spare->use_count() == 1) {
          // Its last holder let go in another thread: what that thread did with it is done before it is reused.
          std::atomic_thread_fence(std::memory_order_acquire);
          next = std::move(*spare);
          spares.erase(spare);
          break;
        }
      if (!next) next = std::make_shared<std::string>();
      next->assign(*buffer, pos, std::string::npos);
      if (spares.size() < 8) spares.push_back(std::move(buffer));
      buffer = std::move(next);
    }
    pos = 0;
  }

  // Reads on, keeping what is not parsed yet; false when the file has nothing more.
  bool fill(const std::string& source) {
    if (at_end) return false;
    renew_buffer();
    std::string& bytes = *buffer;
    const std::size_t had = bytes.size();
    // At least doubling: a row longer than a block is parsed again after each read, in linear time overall.
    const std::size_t block = std::max<std::size_t>(1 << 20, had);
    bytes.resize(had + block);
    in->read(&bytes[had], static_cast<std::streamsize>(block));
    bytes.resize(had + static_cast<std::size_t>(in->gcount()));
    if (in->bad()) throw InputError(fmt::format("{}:{}: cannot read the file", source, line));
    if (in->eof()) at_end = true;
    if (at_start && (bytes.size() >= 3 || at_end)) {
      // A UTF-8 byte-order mark (a spreadsheet's export) is not part of the first column's name.
      if (bytes.compare(0, 3, "\xef\xbb\xbf") == 0) pos = 3;
      at_start = false;
    }
    return bytes.size() > had;
  }

  enum class Parsed { row, more, error };
  // One row from `pos`: its fields into `fields`, `end` past its terminator, `lines` the line breaks it holds;
  // `more` when the buffer ends before the row does and the file goes on.
  Parsed parse_row(std::vector<std::string_view>& fields, std::size_t& end, std::size_t& lines,
                   std::string& why) {
    const char* const data = buffer->data();
    const std::size_t size = buffer->size();
    fields.clear();
    unquoted.clear();
    unquoted.reserve(size - pos);  // views into it must not move: a field unquoted is no longer than it was
    lines = 0;
    std::size_t i = pos;
    for (;;) {  // a field at i
      if (i < size && data[i] == '"') {
        const std::size_t open = ++i;
        bool doubled = false;
        std::size_t from = unquoted.size();
        for (;;) {
          const void* quote = std::memchr(data + i, '"', size - i);
          if (quote == nullptr) {
            if (!at_end) return Parsed::more;
            why = "a quoted field is never closed (its quote opens on this line)";
            end = size;
            return Parsed::error;
          }
          const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(quote) - data);
          lines += static_cast<std::size_t>(std::count(data + i, data + at, '\n'));
          if (at + 1 < size && data[at + 1] == '"') {  // a doubled quote: one quote of the text
            if (!doubled) unquoted.append(data + open, i - open);
            doubled = true;
            unquoted.append(data + i, at + 1 - i);
            i = at + 2;
            continue;
          }
          if (at + 1 == size && !at_end) return Parsed::more;  // the next byte decides
          if (doubled) {
            unquoted.append(data + i, at - i);
            fields.emplace_back(unquoted.data() + from, unquoted.size() - from);
          } else {
            fields.emplace_back(data + open, at - open);
          }
          i = at + 1;
          break;
        }
        if (i < size && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
          const auto byte = static_cast<unsigned char>(data[i]);
          why = byte >= 0x20 && byte < 0x7f
                    ? fmt::format("a quoted field ends but \"{}\" follows its closing quote", data[i])
                    : fmt::format("a quoted field ends but byte 0x{:02x} follows its closing quote", byte);
          end = i;
          return Parsed::error;
        }
      } else {
        const std::size_t from = i;
        while (i < size && !ends_unquoted(data[i])) ++i;
        if (i < size && data[i] == '"') {
          why = "a quote inside a field that does not begin with one (quote the field and double the quote)";
          end = i;
          return Parsed::error;
        }
        if (i == size && !at_end) return Parsed::more;
        fields.emplace_back(data + from, i - from);
      }
      if (i == size) {  // the file ends without a line break
        end = i;
        return Parsed::row;
      }
      if (data[i] == ',') {
        ++i;
        continue;
      }
      // A line break ends the row: LF, CR, or CRLF.
      if (data[i] == '\r' && i + 1 == size && !at_end) return Parsed::more;
      if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n') ++i;
      if (data[i] == '\n') ++lines;
      end = i + 1;
      return Parsed::row;
    }
  }
};

CsvRowReader::CsvRowReader(std::unique_ptr<std::istream> in, std::string source)
    : state_(std::make_unique<State>()), source_(std::move(source)) {
  state_->in = std::move(in);
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
  if (s.at_start) s.fill(source_);
  for (;;) {
    const std::string& buffer = *s.buffer;
    // Blank lines between rows are skipped.
    while (s.pos < buffer.size() && (buffer[s.pos] == '\n' || buffer[s.pos] == '\r')) {
      if (buffer[s.pos] == '\n') ++s.line;
      ++s.pos;
    }
    if (s.pos == buffer.size() && !s.fill(source_)) {
      if (!s.have_width) fail(1, "empty file, expected a header line");
      return false;
    }
    if ((*s.buffer)[s.pos] == '\n' || (*s.buffer)[s.pos] == '\r') continue;
    std::size_t end = 0, lines = 0;
    std::string why;
    const auto parsed = s.parse_row(fields_, end, lines, why);
    if (parsed == State::Parsed::more) {
      s.fill(source_);
      continue;
    }
    // Every reader hands fields on as text (JSON, HTML, a terminal): bytes that are not UTF-8 stop here, named
    // by their line and their byte within it.
    const std::string_view raw(s.buffer->data() + s.pos, end - s.pos);  // the row, or up to its fault
    const std::size_t bad = first_bad_utf8(raw);
    if (bad != std::string_view::npos) {
      const std::size_t line_break = bad == 0 ? std::string_view::npos : raw.rfind('\n', bad - 1);
      const std::size_t column = line_break == std::string_view::npos ? bad : bad - line_break - 1;
      fail(s.line + static_cast<std::size_t>(std::count(raw.begin(), raw.begin() + bad, '\n')),
           fmt::format("byte {} (0x{:02x}) is not UTF-8 text", column + 1, static_cast<unsigned char>(raw[bad])));
    }
    if (parsed == State::Parsed::error) {
      // The line of the fault: the row's first line, and the breaks inside its quoted fields before it.
      fail(s.line + lines, "not valid CSV: " + why);
    }
    line_ = s.line;
    s.line += lines;
    s.pos = end;
    break;
  }
  if (!s.have_width) {
    s.width = fields_.size();
    s.have_width = true;
  } else if (fields_.size() != s.width) {
    fail(line_, fmt::format("expected {} fields as in the header, got {}", s.width, fields_.size()));
  }
  return true;
}

std::shared_ptr<const std::string> CsvRowReader::buffer() const { return state_->buffer; }

bool CsvRowReader::in_buffer(std::string_view field) const {
  const std::string& buffer = *state_->buffer;
  return field.data() >= buffer.data() && field.data() + field.size() <= buffer.data() + buffer.size();
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

std::optional<std::size_t> find_in_header(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> find_column(const CsvTable& table, const std::string& name) {
  return find_in_header(table.header, name);
}

std::string field_place(const std::string& path, std::size_t line, const std::vector<std::string>& header,
                        std::size_t column) {
  return fmt::format("{}:{}: column {} ({})", path, line, column + 1, header[column]);
}

std::string field_location(const CsvTable& table, const std::string& path, std::size_t row, std::size_t column) {
  return field_place(path, table.row_lines[row], table.header, column);
}

std::optional<double> parse_strict_number(std::string_view field) {
  if (field.empty()) return std::nullopt;
  if (field == "nan" || field == "-nan") return std::nan("");
  if (field == "inf") return HUGE_VAL;
  if (field == "-inf") return -HUGE_VAL;
  // A decimal as bsweep writes it: [-]digits[.digits][e[+-]digits]; no spaces, hex, "infinity" or "+".
  std::size_t i = field[0] == '-' ? 1 : 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < field.size() && field[i] >= '0' && field[i] <= '9') ++i;
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
  // from_chars reads what strtod would, correctly rounded, in any locale; out of range (past the largest
  // double, 1e400, or a non-zero that rounds to 0, 1e-400) is an error. Subnormals stand.
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) return std::nullopt;
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
