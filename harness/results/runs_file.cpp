#include "results/runs_file.h"

#include "json_path.h"
#include "results/runs_check.h"
#include "results/schema.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace bsweep {
namespace fs = std::filesystem;

std::optional<std::size_t> RunsFile::find(const std::string& name) const { return find_column(csv, name); }

std::size_t RunsFile::column(const std::string& name) const {
  if (auto found = find(name)) return *found;
  throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep runs.csv", path, name));
}

std::string RunsFile::where(std::size_t row, std::size_t column) const {
  return field_location(csv, path, row, column);
}

std::optional<double> RunsFile::number(std::size_t row, std::size_t column) const {
  return field_number(csv, path, row, column);
}

double RunsFile::required_number(std::size_t row, std::size_t column) const {
  if (auto value = number(row, column)) return *value;
  throw InputError(fmt::format("{}: expected a number, got an empty field", where(row, column)));
}

namespace {

// A runs.csv begins with run_id and index; curves.csv and weights.csv begin with run_id too, so say which
// file it is when someone passes one of those.
void check_is_runs_file(const RunsFile& runs) {
  const bool curves = runs.find("iteration") && runs.find("elapsed_s") && !runs.find("seed");
  const bool weights = runs.find("parameter") && runs.find("value") && !runs.find("seed");
  if (curves || weights)
    throw InputError(fmt::format("{}:1: this is a {} file, not runs.csv: give the results folder or its runs.csv",
                                 runs.path, curves ? "curves" : "weights"));
  for (const char* name : {"run_id", "seed", "status"}) runs.column(name);
}

// Units recorded by the bsweep that wrote the file must be the units this one reads.
void check_units(const RunsFile& runs, const std::string& manifest_path) {
  if (!runs.manifest.is_object() || !runs.manifest.contains("units")) return;
  const auto& units = runs.manifest["units"];
  if (!units.is_object() || !units.contains("runs.csv") || !units["runs.csv"].is_object()) return;
  for (const auto& [name, unit] : units["runs.csv"].items()) {
    const Column* column = find_run_column(name);
    if (column == nullptr || !runs.find(name)) continue;
    if (!unit.is_string() || unit.get<std::string>() != column->unit)
      throw InputError(fmt::format("{}: units.runs.csv.{}: recorded in {}, but this bsweep reads {} in \"{}\"",
                                   manifest_path, name, unit.dump(), name, column->unit));
  }
}

}  // namespace

RunsFile read_runs_file(const std::string& results) {
  RunsFile runs;
  runs.source = results;
  const bool is_folder = fs::is_directory(results);
  runs.path = is_folder ? (fs::path(results) / "runs.csv").string() : results;
  if (!fs::exists(runs.path))
    throw InputError(is_folder ? fmt::format("{}: no runs.csv in this folder: not a bsweep results folder", results)
                               : fmt::format("{}: no such file", results));
  runs.csv = read_csv(runs.path);
  check_is_runs_file(runs);
  check_runs_table(runs.csv, runs.path);
  const auto manifest_path = fs::path(runs.path).parent_path() / "manifest.json";
  if (fs::exists(manifest_path)) {
    runs.manifest = parse_json_file(manifest_path.string());
    check_units(runs, manifest_path.string());
  }
  return runs;
}

}  // namespace bsweep
