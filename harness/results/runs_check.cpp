#include "results/runs_check.h"

#include "errors.h"
#include "grid.h"
#include "results/row_digest.h"
#include "results/schema.h"
#include "spec.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <vector>

namespace bsweep {

namespace {

// The columns that hold text; every other column of a runs.csv holds numbers (or nothing).
const std::set<std::string>& text_columns() {
  static const std::set<std::string> names = {
      "run_id",  "task",  "task_type",   "task_params", "batch_size", "lr_scaling", "until",     "optimizer",
      "dtype",   "device", "device_used", "shuffle",    "drop_last",  "generator",  "stream",    "stream_previous",
      "probes",  "cohort", "status",      "error",     "row_digest"};
  return names;
}

const std::set<std::string>& statuses() {
  static const std::set<std::string> names = {"ok", "diverged", "oom", "timeout", "crashed", "error", "interrupted"};
  return names;
}

// The settings of one row as RunSpec::config() spells them, read from the row's text.
class RowSettings {
 public:
  RowSettings(const CsvTable& table, const std::string& path, std::size_t row)
      : table_(table), path_(path), row_(row) {}

  // config() without seed and stream: the part runs of one configuration share.
  nlohmann::json shared() const {
    nlohmann::json config = {
        {"task", {{"name", text("task")}, {"type", text("task_type")}, {"params", json("task_params")}}},
        {"lr", number("lr")},
        {"dtype", text("dtype")},
        {"device", text("device")},
        {"shuffle", boolean("shuffle")},
        {"drop_last", boolean("drop_last")},
        {"log_every", whole("log_every")},
        {"generator", text("generator")},
        {"seed", 0},
        {"stream", "per_run"},
    };
    config["batch_size"] = text("batch_size") == "full" ? nlohmann::json("full") : nlohmann::json(whole("batch_size"));
    nlohmann::json optimizer = {{"name", text("optimizer")}};
    if (!text("momentum").empty()) optimizer["momentum"] = number("momentum");
    config["optimizer"] = optimizer;
    const bool by_epochs = !text("epochs").empty();
    config[by_epochs ? "epochs" : "steps"] = whole(by_epochs ? "epochs" : "steps");
    add_later_keys(config);
    return config;
  }

  std::uint64_t seed() const {
    const auto& field = text("seed");
    if (field.empty() || field.size() > 20 || field.find_first_not_of("0123456789") != std::string::npos)
      fail("seed", "a seed: a whole number from 0");
    errno = 0;
    const auto value = std::strtoull(field.c_str(), nullptr, 10);
    if (errno == ERANGE) fail("seed", "a seed below 2^64");
    return value;
  }
  bool shared_stream() const {
    const auto& stream = text("stream");
    if (stream != "shared" && stream != "per_run") fail("stream", "per_run or shared");
    return stream == "shared";
  }
  const std::string& text(const std::string& name) const { return table_.rows[row_][column(name)]; }
  std::optional<std::size_t> find(const std::string& name) const { return find_column(table_, name); }

  [[noreturn]] void fail(const std::string& name, const std::string& expected) const {
    throw InputError(fmt::format("{}: expected {}, got \"{}\"", field_location(table_, path_, row_, column(name)),
                                 expected, text(name)));
  }

 private:
  // Keys that grids of older versions never had: a column absent (an older folder) or at its "unused" value
  // leaves the key out, as RunSpec::config() does.
  void add_later_keys(nlohmann::json& config) const {
    if (find("lr_scaling") && text("lr_scaling") != "none") {
      const auto& rule = text("lr_scaling");
      const auto slash = rule.find('/');
      if (slash == std::string::npos) fail("lr_scaling", "none, linear/B or sqrt/B");
      config["lr_scaling"] = {{"rule", rule.substr(0, slash)}, {"base_batch", whole_text(rule.substr(slash + 1), "lr_scaling")}};
    }
    if (find("warmup_epochs") && number("warmup_epochs") != 0) config["warmup_epochs"] = number("warmup_epochs");
    if (find("until") && !text("until").empty()) {
      const auto& until = text("until");
      const auto at = until.find_first_of("<>");
      if (at == std::string::npos || at + 2 > until.size() || until[at + 1] != '=') fail("until", "METRIC<=VALUE or METRIC>=VALUE");
      const auto value = parse_strict_number(until.substr(at + 2));
      if (!value) fail("until", "METRIC<=VALUE or METRIC>=VALUE");
      config["until"] = {{until.substr(0, at), *value}};
    }
    if (find("probes") && !text("probes").empty()) config["probes"] = json("probes");
  }
  std::size_t column(const std::string& name) const {
    if (auto at = find(name)) return *at;
    throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep runs.csv", path_, name));
  }
  double number(const std::string& name) const {
    const auto value = parse_strict_number(text(name));
    if (!value || !std::isfinite(*value)) fail(name, "a finite number");
    return *value;
  }
  std::int64_t whole(const std::string& name) const { return whole_text(text(name), name); }
  std::int64_t whole_text(const std::string& field, const std::string& name) const {
    const bool digits = !field.empty() && field.size() <= 18 && field.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) fail(name, "a whole number");
    return std::stoll(field);
  }
  bool boolean(const std::string& name) const {
    if (text(name) != "true" && text(name) != "false") fail(name, "true or false");
    return text(name) == "true";
  }
  nlohmann::json json(const std::string& name) const {
    auto value = nlohmann::json::parse(text(name), nullptr, false);
    if (value.is_discarded() || !value.is_object()) fail(name, "a JSON object");
    return value;
  }

  const CsvTable& table_;
  const std::string& path_;
  std::size_t row_;
};

// The run of a row's shared settings, validated as a grid is: one per configuration, however many seeds it has.
class RunCache {
 public:
  RunCache(const CsvTable& table, const std::string& path) : table_(table), path_(path) {
    for (const auto& column : run_columns())  // the schema's configuration columns: what a run's settings are
      if (column.role == Role::config)
        if (const auto at = find_column(table, column.name)) setting_columns_.push_back(*at);
  }

  std::string id_of(std::size_t row) {
    // Keyed by the settings' text: rows of one configuration (its seeds) build and validate it once. The same
    // text gives the same configuration, so the key decides nothing the configuration would not.
    std::string key;
    for (const auto c : setting_columns_) key.append(table_.rows[row][c]).push_back('\x1f');
    const RowSettings settings(table_, path_, row);
    auto found = runs_.find(key);
    if (found == runs_.end()) {
      try {
        found = runs_.emplace(key, run_from_config(settings.shared(), 0, "settings")).first;
      } catch (const InputError& error) {
        throw InputError(fmt::format("{}:{}: this row's settings are not a run bsweep makes: {}", path_,
                                     table_.row_lines[row], error.what()));
      }
    }
    RunSpec& run = found->second;  // the cached run, its per-row fields set anew each time
    run.seed = settings.seed();
    run.shared_stream = settings.shared_stream();
    run.stream_previous = run.shared_stream ? settings.text("stream_previous") : "";
    return run_id(run);
  }

 private:
  const CsvTable& table_;
  const std::string& path_;
  std::vector<std::size_t> setting_columns_;
  std::unordered_map<std::string, RunSpec> runs_;
};

void check_numbers(const CsvTable& table, const std::string& path, std::size_t row, std::size_t status_at,
                   const std::vector<bool>& numeric) {
  const bool ok = table.rows[row][status_at] == "ok";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (!numeric[c]) continue;
    const auto value = field_number(table, path, row, c);
    if (ok && value && !std::isfinite(*value))
      throw InputError(fmt::format("{}: \"{}\" in a run whose status is ok: a finished run's numbers are finite (a "
                                   "run whose loss went to NaN or infinity is recorded as diverged)",
                                   field_location(table, path, row, c), table.rows[row][c]));
  }
}

// The folder a runs.csv lies in, as the user would type it to `bsweep merge`.
std::string folder_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

std::string run_id_of_row(const CsvTable& table, const std::string& path, std::size_t row) {
  return RunCache(table, path).id_of(row);
}

std::map<std::string, std::size_t> check_runs_table(const CsvTable& table, const std::string& path,
                                                    Duplicates duplicates) {
  const auto id_at = find_column(table, "run_id"), status_at = find_column(table, "status");
  if (!id_at || !status_at)
    throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep runs.csv", path, id_at ? "status" : "run_id"));
  RunCache cache(table, path);
  const auto digest_at = find_column(table, "row_digest");
  std::vector<bool> numeric;  // by column, looked up once
  for (const auto& name : table.header) numeric.push_back(!text_columns().count(name));
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& id = table.rows[r][*id_at];
    const auto& status = table.rows[r][*status_at];
    if (!statuses().count(status))
      throw InputError(fmt::format("{}: expected a status (ok, diverged, oom, timeout, crashed, error or "
                                   "interrupted), got \"{}\"",
                                   field_location(table, path, r, *status_at), status));
    check_numbers(table, path, r, *status_at, numeric);
    const auto computed = cache.id_of(r);
    if (computed != id)
      throw InputError(fmt::format("{}: run_id \"{}\" is not the id of this row's settings ({}): the row was edited "
                                   "after the run, or its id was; restore the row from the folder that ran it, or "
                                   "delete it and run the grid again",
                                   field_location(table, path, r, *id_at), id, computed));
    // Last: an edited setting is better told by its run id (above), an edited measure only by the digest. A runs.csv
    // of a bsweep before row digests has no such column, and is read as it is.
    if (digest_at) {
      const auto digest = row_digest(table.rows[r], *digest_at);
      if (table.rows[r][*digest_at] != digest)
        throw InputError(fmt::format("{}: the row's fields are not those bsweep wrote for run {} (its digest is "
                                     "\"{}\", they give {}): the row was edited or damaged after the run; restore it "
                                     "from the folder that ran it, or delete it and run the grid again",
                                     field_location(table, path, r, *digest_at), id, table.rows[r][*digest_at], digest));
    }
    const auto [at, fresh] = row_of.emplace(id, r);
    if (!fresh && duplicates == Duplicates::refuse)
      throw InputError(fmt::format("{}:{}: run {} is recorded twice, here and on line {}: remove one of the two "
                                   "rows (bsweep merge NEW {} keeps one row a run and says which)",
                                   path, table.row_lines[r], id, table.row_lines[at->second], folder_of(path)));
  }
  return row_of;
}

}  // namespace bsweep
