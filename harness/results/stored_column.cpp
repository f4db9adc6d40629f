#include "results/stored_column.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace bsweep {

namespace {

// Distinct texts past which a column that may stop being coded does: its rows then seldom repeat.
constexpr std::size_t kMostCodes = 4096;

// The shortest text that reads back as `value`: how bsweep writes numbers (results/writer.cpp).
std::string shortest(double value) { return fmt::format("{}", value); }

// Whether `text` is that spelling of `value`; no allocation, as it is asked of every row of a column of numbers.
bool is_shortest(double value, std::string_view text) {
  char spelled[40];  // the longest is 24 characters: -2.2250738585072014e-308
  const auto end = fmt::format_to(spelled, FMT_COMPILE("{}"), value);
  return std::string_view(spelled, static_cast<std::size_t>(end - spelled)) == text;
}

}  // namespace

StoredColumn::StoredColumn(bool numeric, bool always_coded) : numeric_(numeric), always_coded_(always_coded) {}

void StoredColumn::store(std::size_t row, std::uint32_t code) {
  if (width_ == 1) {
    codes_[row] = static_cast<std::uint8_t>(code);
  } else if (width_ == 2) {
    const auto narrow = static_cast<std::uint16_t>(code);
    std::memcpy(&codes_[row * 2], &narrow, 2);
  } else {
    std::memcpy(&codes_[row * 4], &code, 4);
  }
}

void StoredColumn::put_code(std::uint32_t code) {
  const unsigned needed = code > 0xffff ? 4 : code > 0xff ? 2 : 1;
  if (needed > width_) {  // codes of every row so far, rewritten wider
    std::vector<std::uint32_t> all(size_);
    for (std::size_t r = 0; r < size_; ++r) all[r] = this->code(r);
    width_ = needed;
    codes_.assign(size_ * width_, 0);
    for (std::size_t r = 0; r < size_; ++r) store(r, all[r]);
  }
  if (width_ == 1) {
    codes_.push_back(static_cast<std::uint8_t>(code));
  } else {
    codes_.resize((size_ + 1) * width_);
    store(size_, code);
  }
}

std::uint32_t StoredColumn::code(std::size_t row) const {
  if (kind_ != Kind::codes) throw std::logic_error("StoredColumn::code of a column that is not coded");
  if (width_ == 1) return codes_[row];
  if (width_ == 2) {
    std::uint16_t narrow;
    std::memcpy(&narrow, &codes_[row * 2], 2);
    return narrow;
  }
  std::uint32_t wide;
  std::memcpy(&wide, &codes_[row * 4], 4);
  return wide;
}

void StoredColumn::append(std::string_view field, double number) {
  switch (kind_) {
    case Kind::codes: {
      // Most rows repeat the field above them (a configuration's seeds are neighbours).
      if (size_ != 0 && field == last_text_) {
        put_code(last_code_);
        break;
      }
      const auto found = index_.find(field);
      if (found != index_.end()) {
        last_code_ = found->second;
      } else {
        if (!always_coded_ && texts_.size() >= kMostCodes) {
          numeric_ ? to_numbers() : to_texts();
          append(field, number);
          return;
        }
        last_code_ = static_cast<std::uint32_t>(texts_.size());
        texts_.emplace_back(field);
        index_.emplace(texts_.back(), last_code_);
        if (numeric_) text_values_.push_back(number);
      }
      last_text_ = texts_[last_code_];
      put_code(last_code_);
      break;
    }
    case Kind::numbers: {
      if (field.empty() || !is_shortest(number, field)) spelled_.emplace_back(size_, std::string(field));
      values_.push_back(number);
      break;
    }
    case Kind::texts:
      put_text(field);
      ++texts_rows_;
      break;
  }
  ++size_;
}

void StoredColumn::to_numbers() {
  values_.reserve(size_ * 2);
  for (std::size_t r = 0; r < size_; ++r) {
    const auto c = code(r);
    values_.push_back(text_values_[c]);
    if (texts_[c].empty() || !is_shortest(text_values_[c], texts_[c])) spelled_.emplace_back(r, texts_[c]);
  }
  kind_ = Kind::numbers;
  index_.clear();
  texts_.clear();
  text_values_.clear();
  codes_ = {};
}

void StoredColumn::put_text(std::string_view field) {
  // Rows of one width (run ids, digests) need no ends: row r is at r * width. The first other width makes them.
  if (texts_rows_ == 0) width_of_texts_ = field.size();
  if (width_of_texts_ && field.size() != *width_of_texts_) {
    for (std::size_t r = 1; r <= texts_rows_; ++r) ends_.push_back(r * *width_of_texts_);
    width_of_texts_.reset();
  }
  buffer_.append(field);
  if (!width_of_texts_) ends_.push_back(buffer_.size());
}

std::string_view StoredColumn::text_view(std::size_t row) const {
  if (width_of_texts_) return std::string_view(buffer_).substr(row * *width_of_texts_, *width_of_texts_);
  const std::size_t begin = row == 0 ? 0 : ends_[row - 1];
  return std::string_view(buffer_).substr(begin, ends_[row] - begin);
}

void StoredColumn::to_texts() {
  for (std::size_t r = 0; r < size_; ++r) {
    put_text(texts_[code(r)]);
    ++texts_rows_;
  }
  kind_ = Kind::texts;
  index_.clear();
  texts_.clear();
  codes_ = {};
}

std::string StoredColumn::text(std::size_t row) const {
  switch (kind_) {
    case Kind::codes:
      return texts_[code(row)];
    case Kind::numbers: {
      const auto found = std::lower_bound(spelled_.begin(), spelled_.end(), row,
                                          [](const auto& entry, std::size_t r) { return entry.first < r; });
      if (found != spelled_.end() && found->first == row) return found->second;
      return shortest(values_[row]);
    }
    case Kind::texts: {
      return std::string(text_view(row));
    }
  }
  return {};
}

bool StoredColumn::empty(std::size_t row) const {
  switch (kind_) {
    case Kind::codes:
      return texts_[code(row)].empty();
    case Kind::numbers:
      return std::isnan(values_[row]) && text(row).empty();
    case Kind::texts:
      return text_view(row).empty();
  }
  return true;
}

std::optional<double> StoredColumn::number(std::size_t row) const {
  if (!numeric_) throw std::logic_error("StoredColumn::number of a text column");
  double value = 0;
  if (kind_ == Kind::codes) {
    const auto c = code(row);
    if (texts_[c].empty()) return std::nullopt;
    value = text_values_[c];
  } else {
    value = values_[row];
    if (std::isnan(value) && empty(row)) return std::nullopt;
  }
  return value;
}

}  // namespace bsweep
