#include "results/runs_check.h"

#include "results/row_digest.h"
#include "results/schema.h"
#include "results/status.h"
#include "spec/grid.h"
#include "spec/spec.h"
#include "util/errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
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
      "run_id",  "task",  "task_type",   "task_params", "batch_size", "lr_scaling", "until",     "optimizer", "optimizer_options",
      "dtype",   "device", "device_used", "shuffle",    "drop_last",  "generator",  "stream",    "stream_previous",
      "probes",  "cohort", "status",      "error",     "row_digest"};
  return names;
}


// The settings of one row as RunSpec::config() spells them, read from the row's text.
class RowSettings {
 public:
  RowSettings(const std::vector<std::string>& header, const std::vector<std::string_view>& fields,
              const std::string& path, std::size_t line)
      : header_(header), fields_(fields), path_(path), line_(line) {}
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
    if (find("optimizer_options") && !text("optimizer_options").empty()) {
      const auto options = json("optimizer_options");
      if (options.contains("name") || options.contains("momentum"))
        fail("optimizer_options", "the optimizer's options but its name and momentum (their own columns)");
      optimizer.update(options);
    }
    config["optimizer"] = optimizer;
    const bool by_epochs = !text("epochs").empty();
    config[by_epochs ? "epochs" : "steps"] = whole(by_epochs ? "epochs" : "steps");
    add_later_keys(config);
    return config;
  }

  std::uint64_t seed() const {
    const auto field = text("seed");
    if (field.empty() || field.size() > 20 || field.find_first_not_of("0123456789") != std::string::npos)
      fail("seed", "a seed: a whole number from 0");
    errno = 0;
    const auto value = std::strtoull(field.c_str(), nullptr, 10);
    if (errno == ERANGE) fail("seed", "a seed below 2^64");
    return value;
  }
  bool shared_stream() const {
    const auto stream = view("stream");
    if (stream != "shared" && stream != "per_run") fail("stream", "per_run or shared");
    return stream == "shared";
  }
  std::string text(const std::string& name) const { return std::string(fields_[column(name)]); }
  std::string_view view(const std::string& name) const { return fields_[column(name)]; }
  std::optional<std::size_t> find(const std::string& name) const { return find_in_header(header_, name); }

  [[noreturn]] void fail(const std::string& name, const std::string& expected) const {
    throw InputError(fmt::format("{}: expected {}, got \"{}\"", field_place(path_, line_, header_, column(name)),
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

  const std::vector<std::string>& header_;
  const std::vector<std::string_view>& fields_;
  const std::string& path_;
  std::size_t line_;
};

}  // namespace

// The id hasher of each configuration in a file, validated as a grid is: once per configuration, however many
// seeds it has.
class RunsChecker::Cache {
 public:
  Cache(const std::vector<std::string>& header, const std::string& path) : header_(header), path_(path) {
    for (const auto& column : run_columns())  // the schema's configuration columns: what a run's settings are
      if (column.role == Role::config)
        if (const auto at = find_in_header(header, column.name)) setting_columns_.push_back(*at);
    seed_at_ = find_in_header(header, "seed");
    stream_at_ = find_in_header(header, "stream");
  }

  std::string id_of(const std::vector<std::string_view>& fields, std::size_t line) {
    // Keyed by the settings' text: rows of one configuration (its seeds) build and validate it once. The same
    // text gives the same configuration, so the key decides nothing the configuration would not. Most rows
    // are of the configuration of the row above them.
    const RowSettings settings(header_, fields, path_, line);
    if (last_ == nullptr || !same_settings(fields)) {
      // Each field after its length: no two rows' settings make one key.
      key_.clear();
      for (const auto c : setting_columns_) {
        const auto length = static_cast<std::uint32_t>(fields[c].size());
        key_.append(reinterpret_cast<const char*>(&length), sizeof length).append(fields[c]);
      }
      auto found = hashers_.find(key_);
      if (found == hashers_.end()) {
        try {
          found = hashers_.emplace(key_, RunIdHasher(run_from_config(settings.shared(), 0, "settings"))).first;
        } catch (const InputError& error) {
          throw InputError(fmt::format("{}:{}: this row's settings are not a run bsweep makes: {}", path_, line,
                                       error.what()));
        }
      }
      last_ = &found->second;
      last_fields_.clear();  // views into the key, which the map keeps in place
      std::size_t at = 0;
      for (const auto c : setting_columns_) {
        at += sizeof(std::uint32_t);
        last_fields_.emplace_back(found->first.data() + at, fields[c].size());
        at += fields[c].size();
      }
    }
    // The common case read here; anything else by RowSettings, which names what is wrong.
    std::uint64_t seed = 0;
    const auto seed_field = seed_at_ ? fields[*seed_at_] : std::string_view();
    // (from_chars of an unsigned takes digits only: no sign, space or "0x"; past 2^64 it is an error)
    const auto [seed_end, seed_error] =
        std::from_chars(seed_field.data(), seed_field.data() + seed_field.size(), seed);
    const bool plain_seed =
        !seed_field.empty() && seed_error == std::errc() && seed_end == seed_field.data() + seed_field.size();
    if (!plain_seed) seed = settings.seed();
    const bool per_run = stream_at_ && fields[*stream_at_] == "per_run";
    const bool shared = !per_run && settings.shared_stream();
    return last_->id(seed, shared, shared ? settings.text("stream_previous") : "");
  }

 private:
  const std::vector<std::string>& header_;
  const std::string& path_;
  std::vector<std::size_t> setting_columns_;
  bool same_settings(const std::vector<std::string_view>& fields) const {
    for (std::size_t k = 0; k < setting_columns_.size(); ++k)
      if (fields[setting_columns_[k]] != last_fields_[k]) return false;
    return true;
  }

  std::string key_;
  std::unordered_map<std::string, RunIdHasher> hashers_;
  std::optional<std::size_t> seed_at_, stream_at_;
  const RunIdHasher* last_ = nullptr;         // the hasher of the row before
  std::vector<std::string_view> last_fields_;  // and its settings' fields
};

namespace {

// The folder a runs.csv lies in, as the user would type it to `bsweep merge`.
std::string folder_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

bool is_text_column(const std::string& name) { return text_columns().count(name) > 0; }

RunsChecker::RunsChecker(const std::vector<std::string>& header, std::string path, Duplicates duplicates)
    : header_(header), path_(std::move(path)), duplicates_(duplicates) {
  const auto id_at = find_in_header(header_, "run_id"), status_at = find_in_header(header_, "status");
  if (!id_at || !status_at)
    throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep runs.csv", path_, id_at ? "status" : "run_id"));
  id_at_ = *id_at;
  status_at_ = *status_at;
  digest_at_ = find_in_header(header_, "row_digest");
  for (const auto& name : header_) numeric_.push_back(!is_text_column(name));
  last_valid_.resize(header_.size());
  last_value_.resize(header_.size());
  numbers_.resize(header_.size());
  cache_ = std::make_unique<Cache>(header_, path_);
}
RunsChecker::RunsChecker(RunsChecker&&) noexcept = default;
RunsChecker::~RunsChecker() = default;

std::string RunsChecker::computed_id(const std::vector<std::string_view>& fields, std::size_t line) {
  return cache_->id_of(fields, line);
}

void RunsChecker::check_row(const std::vector<std::string_view>& fields, std::size_t line) {
  check_row_settings(fields, line);
  check_row_integrity(fields, line);
}

void RunsChecker::check_row_settings(const std::vector<std::string_view>& fields, std::size_t line) {
  const auto id = fields[id_at_], status = fields[status_at_];
  const auto known = parse_run_status(status);
  if (!known)
    throw InputError(fmt::format("{}: expected a status ({}), got \"{}\"",
                                 field_place(path_, line, header_, status_at_), run_status_names(), status));
  const bool ok = known == RunStatus::ok;
  for (std::size_t c = 0; c < fields.size(); ++c) {
    const std::string_view field = fields[c];
    numbers_[c] = std::nan("");
    if (!numeric_[c] || field.empty()) continue;
    if (field == last_valid_[c] && (!ok || std::isfinite(last_value_[c]))) {
      numbers_[c] = last_value_[c];
      continue;
    }
    const auto value = parse_strict_number(field);
    if (!value)
      throw InputError(fmt::format("{}: expected a number, got \"{}\"", field_place(path_, line, header_, c), field));
    if (ok && !std::isfinite(*value))
      throw InputError(fmt::format("{}: \"{}\" in a run whose status is ok: a finished run's numbers are finite (a "
                                   "run whose loss went to NaN or infinity is recorded as diverged)",
                                   field_place(path_, line, header_, c), field));
    last_valid_[c] = field;
    last_value_[c] = numbers_[c] = *value;
  }
  const auto computed = cache_->id_of(fields, line);
  if (computed != id)
    throw InputError(fmt::format("{}: run_id \"{}\" is not the id of this row's settings ({}): the row was edited "
                                 "after the run, or its id was; restore the row from the folder that ran it, or "
                                 "delete it and run the grid again",
                                 field_place(path_, line, header_, id_at_), id, computed));
}

void RunsChecker::check_row_integrity(const std::vector<std::string_view>& fields, std::size_t line) {
  const auto id = fields[id_at_];
  // Last: an edited setting is better told by its run id (above), an edited measure only by the digest. A runs.csv
  // of a bsweep before row digests has no such column, and is read as it is.
  if (digest_at_) {
    const auto digest = row_digest(fields, *digest_at_);
    if (fields[*digest_at_] != digest)
      throw InputError(fmt::format("{}: the row's fields are not those bsweep wrote for run {} (its digest is "
                                   "\"{}\", they give {}): the row was edited or damaged after the run; restore it "
                                   "from the folder that ran it, or delete it and run the grid again",
                                   field_place(path_, line, header_, *digest_at_), id, fields[*digest_at_], digest));
  }
  if (duplicates_ == Duplicates::refuse) {
    // The id equals the computed one (check_row_settings): twelve hex digits.
    std::uint64_t bits = 0;
    std::from_chars(id.data(), id.data() + id.size(), bits, 16);
    runs_seen_.emplace_back(bits, line);  // told by check_no_duplicates, once every row is in
  }
}

void RunsChecker::check_no_duplicates() {
  // Sorted rather than hashed as they come: a million rows' ids sort in a tenth of the time a hash table of
  // them takes to fill. Of several runs recorded twice, the one whose second row comes first is told.
  std::sort(runs_seen_.begin(), runs_seen_.end());
  const std::pair<std::uint64_t, std::size_t>* told = nullptr;
  for (std::size_t k = 1; k < runs_seen_.size(); ++k)
    if (runs_seen_[k].first == runs_seen_[k - 1].first && (told == nullptr || runs_seen_[k].second < told[1].second))
      told = &runs_seen_[k - 1];
  if (told != nullptr)
    throw InputError(fmt::format("{}:{}: run {:012x} is recorded twice, here and on line {}: remove one of the two "
                                 "rows (bsweep merge NEW {} keeps one row a run and says which)",
                                 path_, told[1].second, told[0].first, told[0].second, folder_of(path_)));
}

namespace {

std::vector<std::string_view> views(const std::vector<std::string>& row) {
  return std::vector<std::string_view>(row.begin(), row.end());
}

}  // namespace

std::string run_id_of_row(const CsvTable& table, const std::string& path, std::size_t row) {
  return RunsChecker(table.header, path, Duplicates::allow).computed_id(views(table.rows[row]), table.row_lines[row]);
}

std::map<std::string, std::size_t> check_runs_table(const CsvTable& table, const std::string& path,
                                                    Duplicates duplicates) {
  RunsChecker checker(table.header, path, duplicates);
  const auto id_at = *find_column(table, "run_id");  // the checker has made sure of it
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    checker.check_row(views(table.rows[r]), table.row_lines[r]);
    row_of.emplace(table.rows[r][id_at], r);
  }
  checker.check_no_duplicates();
  return row_of;
}

}  // namespace bsweep
