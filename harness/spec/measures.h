// Every value a probe measures, declared once: its name, unit, meaning, which way is better, and the file it goes
// to. The results schema (results/schema.h), the worker's hand-off, the CSV writer, `bsweep compare`'s better
// direction and the column tables of docs/results.md all follow from this list; a probe fills its values by these names.
// LibTorch-free.
#pragma once

#include <string>
#include <vector>

namespace bsweep {

enum class Destination {
  runs,    // one value per run: a runs.csv column
  curves,  // one value per curve point: a curves.csv column
  series,  // one value per curve point and batch size m: a quantity of probes.csv
};

struct Measure {
  std::string name;
  std::string unit;
  std::string doc;
  int better = 0;  // -1 lower is better, +1 higher is better, 0 neither
  Destination where = Destination::runs;
  std::string probe;  // what switches it on: a key of the grid's "probes", "until", or "memory" (always on)
};

// In the order their columns appear.
const std::vector<Measure>& measures();
// The measure `name` of destination `where`, or nullptr.
const Measure* find_measure(const std::string& name, Destination where);

}  // namespace bsweep
