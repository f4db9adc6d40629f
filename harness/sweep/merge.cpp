#include "sweep/merge.h"

#include "util/errors.h"
#include "exec/slurm_executor.h"
#include "spec/grid.h"
#include "util/json_path.h"
#include "results/csv.h"
#include "results/folder_files.h"
#include "results/folder_lock.h"
#include "results/manifest.h"
#include "results/runs_check.h"
#include "results/status.h"
#include "results/writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

// Lower is better: a result, then a failure, then an interrupted run.
int rank_of(const std::string& word) {
  const auto status = parse_run_status(word).value();  // its rows are checked (check_runs_table)
  if (status == RunStatus::interrupted) return 2;
  return is_failure(status) ? 1 : 0;
}

bool same_folder(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::exists(a) && fs::exists(b) && fs::equivalent(a, b, error);
}

}  // namespace

MergeOutcome merge_folders(const std::string& out, const std::vector<std::string>& folders, std::ostream& log) {
  if (folders.empty()) throw InputError("bsweep merge: name the folders to merge after OUT");
  std::vector<nlohmann::json> manifests;
  for (const auto& folder : folders) {
    const auto file = fs::path(folder) / "manifest.json";
    if (!fs::is_directory(folder)) throw InputError(fmt::format("{}: not a folder", folder));
    if (!fs::exists(file)) throw InputError(fmt::format("{}: has no manifest.json: not a results folder", folder));
    auto manifest = parse_json_file(file.string());
    if (!manifest.is_object() || !manifest.contains("grid") || !manifest["grid"].is_object())
      throw InputError(fmt::format("{}: has no grid: not a results folder bsweep wrote", file.string()));
    if (!manifests.empty() && manifest["grid"] != manifests.front()["grid"])
      throw InputError(fmt::format("{}: holds results of a different grid than {}: only folders of one grid merge",
                                   folder, folders.front()));
    const auto open = open_submissions(folder);
    if (!open.empty())
      throw InputError(fmt::format("{}: has Slurm jobs not collected yet ({}): run `bsweep run` on it first", folder,
                                   open.front()));
    manifests.push_back(std::move(manifest));
  }
  bool out_is_input = false;
  for (const auto& folder : folders) out_is_input = out_is_input || same_folder(out, folder);
  // Checked before anything is read, and again once OUT is locked (another process may have filled it since).
  const auto refuse_filled_out = [&] {
    if (!out_is_input && (fs::exists(fs::path(out) / "runs.csv") || fs::exists(fs::path(out) / "manifest.json")))
      throw InputError(fmt::format("{}: holds results already: merge into a new folder, or name it among the folders", out));
  };
  refuse_filled_out();

  const auto grid_file = manifests.front().value("grid_file", std::string("merged.json"));
  const SweepSpec spec = parse_sweep(manifests.front()["grid"], fs::path(grid_file).stem().string());
  const auto runs = expand(spec);
  const std::int64_t widest = widest_linear_task(spec);
  // Nobody writes into any of them while they are read, nor into OUT while it is written.
  std::vector<std::unique_ptr<FolderLock>> locks;
  std::vector<std::string> locked;
  for (const auto& folder : folders) {
    if (std::any_of(locked.begin(), locked.end(), [&](const std::string& other) { return same_folder(other, folder); }))
      continue;
    locks.push_back(std::make_unique<FolderLock>(folder));
    locked.push_back(folder);
  }
  for (const auto& folder : folders) check_headers(folder, widest);

  // Which folder and row each run's rows come from. Every runs.csv is checked as untrusted input first (numbers,
  // statuses, run ids recomputed from the settings); a run recorded twice, in one folder or in several, keeps its
  // best row and is reported.
  std::set<std::string> grid_ids;
  for (const auto& run : runs) grid_ids.insert(run.id);
  struct Choice {
    std::size_t folder = 0, row = 0, line = 0;
    int rank = 0;
  };
  std::map<std::string, Choice> chosen;
  std::map<std::string, std::vector<std::string>> places;  // "FOLDER/runs.csv:LINE" of every row of a run
  std::size_t foreign = 0;
  std::vector<std::optional<CsvTable>> runs_tables(folders.size());  // read once, for the choice and the copy
  for (std::size_t f = 0; f < folders.size(); ++f) {
    const auto path = fs::path(folders[f]) / "runs.csv";
    if (!fs::exists(path)) continue;
    const auto& table = runs_tables[f].emplace(read_csv(path.string()));
    check_runs_table(table, path.string(), Duplicates::allow);
    const auto status_at = *find_column(table, "status");  // check_headers made sure it is there
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const auto& id = table.rows[r].at(0);
      if (!grid_ids.count(id)) {
        ++foreign;
        continue;
      }
      places[id].push_back(fmt::format("{}:{}", path.string(), table.row_lines[r]));
      const int rank = rank_of(table.rows[r].at(status_at));
      const auto found = chosen.find(id);
      if (found == chosen.end() || rank < found->second.rank) chosen[id] = {f, r, table.row_lines[r], rank};
    }
  }
  // Everything is read before anything is written: OUT may be one of the folders. runs.csv gets the chosen row;
  // the other files (several rows a run) the chosen folder's rows.
  std::map<std::string, std::string> texts;
  for (const char* name : kRunRowFiles) {
    const bool runs_file = std::string(name) == "runs.csv";
    std::string text;
    for (std::size_t f = 0; f < folders.size(); ++f) {
      const auto path = fs::path(folders[f]) / name;
      if (runs_file ? !runs_tables[f] : !fs::exists(path)) continue;
      std::optional<CsvTable> other;
      const CsvTable& table = runs_file ? *runs_tables[f] : other.emplace(read_csv(path.string()));
      if (text.empty()) text = csv_line(table.header);
      for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto found = chosen.find(table.rows[r].at(0));
        if (found != chosen.end() && found->second.folder == f && (!runs_file || found->second.row == r))
          text += csv_line(table.rows[r]);
      }
    }
    if (!text.empty()) texts[name] = text;
  }
  // OUT is locked (and so created) only now: a folder refused above leaves no empty OUT behind.
  if (!out_is_input) locks.push_back(std::make_unique<FolderLock>(out));
  refuse_filled_out();
  fs::create_directories(out);
  for (const auto& [name, text] : texts) write_atomically((fs::path(out) / name).string(), text);
  for (const char* name : kRunRowFiles)
    if (!texts.count(name)) fs::remove(fs::path(out) / name);

  MergeOutcome outcome;
  outcome.total = runs.size();
  outcome.recorded = chosen.size();
  std::size_t failed = 0;
  for (const auto& [id, choice] : chosen) failed += choice.rank == 1;
  std::vector<std::string> doubled;
  for (const auto& [id, where] : places)
    if (where.size() > 1) doubled.push_back(id);
  outcome.duplicates = doubled.size();
  outcome.missing = runs.size() - chosen.size();

  auto manifest = manifests.front();
  manifest["runs"] = {{"total", outcome.total}, {"finished", outcome.recorded}, {"failed", failed}};
  manifest["shard"] = nullptr;
  manifest["executor"] = "local";  // a merged folder is resumed where it lies
  manifest["slurm"] = nullptr;
  manifest["merged_from"] = folders;
  manifest["finished_at"] = outcome.missing == 0 ? nlohmann::json(utc_now()) : nlohmann::json();
  manifest.erase("resumed_at");
  write_atomically((fs::path(out) / "manifest.json").string(), manifest.dump(2) + "\n");

  log << fmt::format("merged {} folders into {}: {} of the grid's {} runs recorded\n", folders.size(), out,
                     outcome.recorded, outcome.total);
  if (!doubled.empty()) {
    std::string list;
    for (std::size_t i = 0; i < doubled.size() && i < 5; ++i) {
      const auto& id = doubled[i];
      std::string where;
      for (const auto& place : places[id]) where += (where.empty() ? "" : ", ") + place;
      const auto& kept = chosen[id];
      list += fmt::format("\n  {} on {} (kept {}/runs.csv:{})", id, where, folders[kept.folder], kept.line);
    }
    if (doubled.size() > 5) list += fmt::format("\n  ... and {} more", doubled.size() - 5);
    log << fmt::format("warning: {} recorded more than once; each keeps one row (a result over a failure "
                       "over an interruption, else the first met, folders in the order named):{}\n",
                       doubled.size() == 1 ? "1 run is" : fmt::format("{} runs are", doubled.size()), list);
  }
  if (foreign > 0) log << fmt::format("warning: {} rows name runs that are not this grid's: left out\n", foreign);
  if (outcome.missing > 0)
    log << fmt::format("{} runs missing: `bsweep run {} -o {}` runs them\n", outcome.missing, grid_file, out);
  return outcome;
}

}  // namespace bsweep
