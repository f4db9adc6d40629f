// The errors every layer may throw, and the exit code `bsweep` gives each (cli/main.cpp).
#pragma once

#include <stdexcept>

namespace bsweep {

// Bad input (exit 2): carries the place (a JSON path, file:line:column, an option) and what was expected.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The machine refused (exit 2): no space left, a read-only file system, no permission, a folder in use by
// another sweep. The message names the file and the cause; nothing half-written is left behind.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A tool bsweep drives is missing or failed (exit 1): gnuplot.
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bsweep
