// libFuzzer target for the readers of results folders (tools/fuzz.sh builds and runs it): runs.csv, curves.csv
// and manifest.json as `table`, `compare`, `plot` and `report` read them (see results_readers.h). Any input may
// be rejected, but only with an InputError: any other exception, crash or sanitizer report is a bug.
#include "results_readers.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bsweep::fuzz::read_results_input(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
