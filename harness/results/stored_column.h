// One column of a runs.csv held in little memory, so that a file of a million runs can be read whole: a column
// whose rows repeat a few texts (settings, statuses, a constant) as one small code a row into its distinct texts;
// once it has more than a few thousand distinct texts, a column of numbers (losses, times) as doubles, and a
// column of text (run ids, digests) end to end in one buffer. What a row's field was, it gives back as written.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bsweep {

class StoredColumn {
 public:
  // numeric: every field is empty or a number parse_strict_number reads (the caller has checked it).
  // always_coded: keep the codes however many distinct texts there are (a setting: readers group rows by it).
  StoredColumn(bool numeric, bool always_coded);

  // `number`: the field's value in a numeric column (NaN when empty), as the check parsed it.
  void append(std::string_view field, double number);
  std::size_t size() const { return size_; }

  std::string text(std::size_t row) const;
  bool empty(std::size_t row) const;
  // The field as a number: nullopt when empty (only for a numeric column).
  std::optional<double> number(std::size_t row) const;
  // Equal codes, equal texts, within this column: only while coded() holds (always, for always_coded).
  bool coded() const { return kind_ == Kind::codes; }
  std::uint32_t code(std::size_t row) const;
  const std::string& text_of_code(std::uint32_t code) const { return texts_[code]; }

 private:
  enum class Kind { codes, numbers, texts };
  void put_code(std::uint32_t code);
  void store(std::size_t row, std::uint32_t code);
  void to_numbers();
  void to_texts();

  Kind kind_ = Kind::codes;
  bool numeric_, always_coded_;
  std::size_t size_ = 0;
  // codes
  std::deque<std::string> texts_;  // a deque: its strings never move, so the index may view them
  std::unordered_map<std::string_view, std::uint32_t> index_;
  std::vector<double> text_values_;  // numeric: the number of each distinct text (NaN when empty)
  std::vector<std::uint8_t> codes_;  // `width_` bytes a row
  unsigned width_ = 1;
  std::uint32_t last_code_ = 0;
  std::string_view last_text_;  // texts_[last_code_]
  // numbers: a value a row; a row whose text is not the value's shortest spelling (or is empty) keeps its text
  std::vector<double> values_;
  std::vector<std::pair<std::size_t, std::string>> spelled_;  // by row, ascending
  // texts
  void put_text(std::string_view field);
  std::string_view text_view(std::size_t row) const;
  std::string buffer_;
  std::vector<std::size_t> ends_;               // where rows differ in width: the end of each row's text
  std::optional<std::size_t> width_of_texts_;   // while every row's text has one width
  std::size_t texts_rows_ = 0;
};

}  // namespace bsweep
