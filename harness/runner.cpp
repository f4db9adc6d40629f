#include "runner.h"

#include "grid.h"
#include "json_path.h"
#include "results/csv.h"
#include "results/manifest.h"
#include "results/schema.h"
#include "results/writer.h"
#include "train.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

const char* const kResultFiles[] = {"runs.csv", "curves.csv", "weights.csv", "manifest.json"};

std::int64_t widest_linear_task(const SweepSpec& spec) {
  std::int64_t widest = 0;
  for (const auto& task : spec.tasks)
    if (task.type == "linear") widest = std::max(widest, task.params.at("features").get<std::int64_t>());
  return widest;
}

// Keeps only the rows of `file` whose run_id is in `keep` (rows of a run that died before its runs.csv row).
void drop_orphan_rows(const std::string& file, const std::set<std::string>& keep) {
  if (!fs::exists(file)) return;
  const auto table = read_csv(file);
  std::string text = csv_line(table.header);
  bool dropped = false;
  for (const auto& row : table.rows) {
    if (keep.count(row.at(0))) {
      text += csv_line(row);
    } else {
      dropped = true;
    }
  }
  if (dropped) write_atomically(file, text);
}

// Returns the ids of runs already recorded in `dir`, after checking the folder holds this grid.
std::set<std::string> recorded_runs(const SweepSpec& spec, const RunnerOptions& options) {
  const fs::path dir(options.out_dir);
  std::set<std::string> done;
  if (!fs::exists(dir)) return done;
  if (!fs::is_directory(dir)) throw InputError(fmt::format("{}: exists and is not a folder", options.out_dir));
  const bool has_results = fs::exists(dir / "runs.csv") || fs::exists(dir / "manifest.json");
  if (!has_results) return done;
  bool same_grid = false;
  if (fs::exists(dir / "manifest.json")) {
    const auto manifest = parse_json_file((dir / "manifest.json").string());
    same_grid = manifest.contains("grid") && manifest["grid"] == spec.source;
  }
  if (!same_grid) {
    if (!options.force)
      throw InputError(fmt::format("{}: holds results of a different grid; choose another folder with -o, "
                                   "or pass --force to replace them",
                                   options.out_dir));
    for (const char* name : kResultFiles) fs::remove(dir / name);
    return done;
  }
  if (!fs::exists(dir / "runs.csv")) return done;
  const auto runs = read_csv((dir / "runs.csv").string());
  for (const auto& row : runs.rows) done.insert(row.at(0));
  drop_orphan_rows((dir / "curves.csv").string(), done);
  drop_orphan_rows((dir / "weights.csv").string(), done);
  return done;
}

std::string summary_line(const RunSpec& run, const TrainResult& result) {
  std::string line = fmt::format("{} {:>6} bs={:<5} lr={:<6g} seed={:<3} {}", run.id, run.task.name,
                                 run.batch_size.label(), run.lr, run.seed, result.status);
  if (!result.curve.empty()) {
    const auto& last = result.curve.back();
    line += fmt::format("  train_loss={:.4g}", last.train_loss);
    if (!std::isnan(last.test_loss)) line += fmt::format(" test_loss={:.4g}", last.test_loss);
  }
  line += fmt::format("  {:.2f}s", result.wall_s);
  if (!result.error.empty()) line += "  " + result.error;
  return line;
}

}  // namespace

std::string default_results_dir(const SweepSpec& spec) { return "results/" + spec.name; }

SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  const auto runs = expand(spec);
  const auto done = recorded_runs(spec, options);
  if (options.threads > 0) torch::set_num_threads(options.threads);

  SweepOutcome outcome;
  outcome.total = runs.size();
  if (!options.quiet)
    for (const auto& warning : batch_size_warnings(runs)) log << warning << "\n";

  ResultsWriter writer(options.out_dir, widest_linear_task(spec));
  ManifestInfo manifest;
  manifest.grid_file = options.grid_file;
  manifest.grid = spec.source;
  manifest.devices = spec.devices;
  manifest.threads = torch::get_num_threads();
  manifest.started_at = utc_now();
  manifest.runs_total = runs.size();
  manifest.runs_finished = done.size();
  write_manifest(options.out_dir, manifest);

  // A shared stream with a missing run is replayed from its start, its recorded runs trained again (not
  // rewritten), so that every run continues the stream exactly where the run before it left it.
  std::set<std::string> streams_to_replay;
  for (const auto& run : runs)
    if (run.shared_stream && !done.count(run.id)) streams_to_replay.insert(stream_key(run));
  std::map<std::string, RunStream> streams;

  for (const auto& run : runs) {
    const bool recorded = done.count(run.id) > 0;
    if (recorded) ++outcome.skipped;
    if (recorded && !(run.shared_stream && streams_to_replay.count(stream_key(run)))) continue;
    TrainResult result;
    if (run.shared_stream) {
      auto found = streams.find(stream_key(run));
      try {
        if (found == streams.end()) found = streams.emplace(stream_key(run), open_stream(run)).first;
        result = train_run(run, found->second);
      } catch (const std::exception& error) {
        result.status = "error";
        result.error = error.what();
      }
    } else {
      result = train_run(run);
    }
    if (recorded) continue;
    writer.append(run, result);
    ++outcome.ran;
    ++manifest.runs_finished;
    if (result.status != "ok") {
      ++outcome.failed;
      ++manifest.runs_failed;
    }
    if (!options.quiet)
      log << fmt::format("[{}/{}] ", outcome.skipped + outcome.ran, outcome.total) << summary_line(run, result)
          << std::endl;
  }
  manifest.finished_at = utc_now();
  write_manifest(options.out_dir, manifest);
  if (!options.quiet) {
    log << fmt::format("{} runs: {} ran, {} already recorded, {} failed -> {}\n", outcome.total, outcome.ran,
                       outcome.skipped, outcome.failed, options.out_dir);
  }
  return outcome;
}

}  // namespace bsweep
