#include "util/json_path.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

namespace bsweep {

std::string path_index(const std::string& path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::string path_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string describe(const nlohmann::json& value) {
  // Bytes that are not UTF-8 (a string read from a CSV field) become U+FFFD: an error message never throws.
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

void fail_at(const std::string& path, const std::string& expected, const nlohmann::json& got) {
  throw InputError(fmt::format("{}: expected {}, got {}", path.empty() ? "(top level)" : path, expected,
                               describe(got)));
}

void require_object(const nlohmann::json& value, const std::string& path) {
  if (!value.is_object()) fail_at(path, "an object", value);
}

void require_known_keys(const nlohmann::json& object, const std::string& path,
                        const std::vector<std::string>& allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto& key : allowed) known = known || key == item.key();
    if (known) continue;
    std::string list;
    for (const auto& key : allowed) list += (list.empty() ? "" : ", ") + key;
    throw InputError(fmt::format("{}: unknown key (expected one of: {})", path_key(path, item.key()), list));
  }
}

std::int64_t read_positive_int(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) fail_at(path, "a positive integer", value);
  return value.get<std::int64_t>();
}

std::int64_t read_non_negative_int(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
    fail_at(path, "a non-negative integer", value);
  return value.get<std::int64_t>();
}

double read_number(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number() || !std::isfinite(value.get<double>())) fail_at(path, "a finite number", value);
  return value.get<double>();
}

double read_positive_number(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>()))
    fail_at(path, "a positive number", value);
  return value.get<double>();
}

double read_non_negative_number(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number() || !(value.get<double>() >= 0) || !std::isfinite(value.get<double>()))
    fail_at(path, "a non-negative number", value);
  return value.get<double>();
}

bool read_bool(const nlohmann::json& value, const std::string& path) {
  if (!value.is_boolean()) fail_at(path, "true or false", value);
  return value.get<bool>();
}

std::string read_string(const nlohmann::json& value, const std::string& path) {
  if (!value.is_string()) fail_at(path, "a string", value);
  return value.get<std::string>();
}

std::string read_choice(const nlohmann::json& value, const std::string& path,
                        const std::vector<std::string>& choices) {
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : " or ") + fmt::format("\"{}\"", choice);
  if (!value.is_string()) fail_at(path, list, value);
  for (const auto& choice : choices)
    if (value.get<std::string>() == choice) return choice;
  fail_at(path, list, value);
}

namespace {

std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string reason_of(const nlohmann::json::exception& error) {
  std::string reason = error.what();
  const auto bracket = reason.find("] ");
  if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
  const auto colon = reason.find(": ");
  if (reason.rfind("parse error", 0) == 0 && colon != std::string::npos) reason = reason.substr(colon + 2);
  return reason;
}

// The place where `text` first nests deeper than kMaxJsonDepth, if it does. Brackets inside strings do not count.
std::optional<std::size_t> too_deep_at(const std::string& text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& source_name) {
  // Checked before parsing: every reader of a deep value (printing it in an error, say) recurses once a level.
  if (const auto deep = too_deep_at(text)) {
    const auto [line, column] = line_and_column(text, *deep);
    throw InputError(fmt::format("{}:{}:{}: not valid here: JSON nested deeper than {} levels", source_name, line,
                                 column, kMaxJsonDepth));
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // error.byte is 1-based and points just past the offending character.
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    throw InputError(fmt::format("{}:{}:{}: not valid JSON: {}", source_name, line, column, reason_of(error)));
  } catch (const nlohmann::json::exception& error) {
    // A number out of range ("number overflow parsing '2e308'") carries no position: find its text.
    std::string reason = reason_of(error);
    std::size_t offset = std::string::npos;
    const auto open = reason.find('\''), close = reason.rfind('\'');
    if (open != std::string::npos && close > open) offset = text.find(reason.substr(open + 1, close - open - 1));
    if (offset == std::string::npos) throw InputError(fmt::format("{}: not valid JSON: {}", source_name, reason));
    const auto [line, column] = line_and_column(text, offset);
    throw InputError(fmt::format("{}:{}:{}: not valid JSON: {}", source_name, line, column, reason));
  }
}

nlohmann::json parse_json_file(const std::string& file_path) {
  std::ifstream in(file_path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open file", file_path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), file_path);
}

}  // namespace bsweep

namespace bsweep {

std::pair<double, double> read_interval(const nlohmann::json& value, const std::string& path) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number() ||
      !(value[0].get<double>() < value[1].get<double>()) || !std::isfinite(value[0].get<double>()) ||
      !std::isfinite(value[1].get<double>()))
    fail_at(path, "an interval [low, high] with low < high", value);
  return {value[0].get<double>(), value[1].get<double>()};
}

std::vector<std::int64_t> read_positive_int_list(const nlohmann::json& value, const std::string& path) {
  if (!value.is_array() || value.empty()) fail_at(path, "a non-empty list of positive integers", value);
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(read_positive_int(value[i], path_index(path, i)));
  return out;
}

}  // namespace bsweep
