// libFuzzer target for the grid parser and validator (tools/fuzz_grid.sh builds and runs it). Any input may be
// rejected, but only with an InputError: any other exception, crash or sanitizer report is a bug.
#include "spec/grid.h"
#include "util/json_path.h"
#include "spec/spec.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto spec = bsweep::parse_sweep(bsweep::parse_json_text(text, "fuzz.json"), "fuzz");
    const auto runs = bsweep::expand(spec);
    bsweep::batch_size_warnings(runs);
    for (const auto& run : runs) run.config().dump();
  } catch (const bsweep::InputError&) {
  }
  return 0;
}
