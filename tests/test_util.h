// Small helpers shared by the tests.
#pragma once

#include "spec/spec.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace bsweep::test {

// A grid with one linear task; tests override what they need.
inline nlohmann::json small_grid() {
  return nlohmann::json::parse(R"({
    "tasks": [{"type": "linear", "n_train": 100, "n_test": 50}],
    "batch_sizes": [1, 10, "full"],
    "lr": 0.01,
    "epochs": 5,
    "seeds": [0]
  })");
}

// The message of the InputError that parsing `grid` throws ("" if none).
inline std::string parse_error(const nlohmann::json& grid) {
  try {
    parse_sweep(grid, "test");
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

// A fresh empty folder under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    auto base = std::filesystem::temp_directory_path() / "bsweep-test-XXXXXX";
    std::string pattern = base.string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace bsweep::test
