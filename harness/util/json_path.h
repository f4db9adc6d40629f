// Reading JSON with errors that name the JSON path of the offending value.
#pragma once

#include "util/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace bsweep {

// "batch_sizes" + 3 -> "batch_sizes[3]"; "" + "lr" -> "lr"; "tasks[0]" + "n_train" -> "tasks[0].n_train".
std::string path_index(const std::string& path, std::size_t index);
std::string path_key(const std::string& path, const std::string& key);

// A short rendering of a JSON value for error messages.
std::string describe(const nlohmann::json& value);

[[noreturn]] void fail_at(const std::string& path, const std::string& expected, const nlohmann::json& got);

void require_object(const nlohmann::json& value, const std::string& path);
// Every key of `object` must be one of `allowed`; the error names the first unknown key.
void require_known_keys(const nlohmann::json& object, const std::string& path,
                        const std::vector<std::string>& allowed);

std::int64_t read_positive_int(const nlohmann::json& value, const std::string& path);
std::int64_t read_non_negative_int(const nlohmann::json& value, const std::string& path);
double read_number(const nlohmann::json& value, const std::string& path);
double read_positive_number(const nlohmann::json& value, const std::string& path);
double read_non_negative_number(const nlohmann::json& value, const std::string& path);
bool read_bool(const nlohmann::json& value, const std::string& path);
std::string read_string(const nlohmann::json& value, const std::string& path);
std::string read_choice(const nlohmann::json& value, const std::string& path,
                        const std::vector<std::string>& choices);

// A scalar or a non-empty list of scalars, read element by element with `read_one`.
template <typename T, typename ReadOne>
std::vector<T> read_axis(const nlohmann::json& value, const std::string& path, ReadOne read_one) {
  std::vector<T> out;
  if (!value.is_array()) {
    out.push_back(read_one(value, path));
    return out;
  }
  if (value.empty()) fail_at(path, "a non-empty list", value);
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(read_one(value[i], path_index(path, i)));
  return out;
}

// Grids, manifests and results nest a few levels; deeper input is refused before it is parsed.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses JSON text; deeper nesting than kMaxJsonDepth or a syntax error becomes an InputError naming `source_name:line:column`.
nlohmann::json parse_json_text(const std::string& text, const std::string& source_name);
nlohmann::json parse_json_file(const std::string& file_path);

}  // namespace bsweep

namespace bsweep {
// [low, high] with low < high, both finite.
std::pair<double, double> read_interval(const nlohmann::json& value, const std::string& path);
// A non-empty list of positive integers.
std::vector<std::int64_t> read_positive_int_list(const nlohmann::json& value, const std::string& path);
}  // namespace bsweep
