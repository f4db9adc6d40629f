#include "spec/spec.h"

#include "spec/grid.h"
#include "util/json_path.h"
#include "spec/probe_config.h"
#include "spec/run_limits.h"
#include "tasks/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace bsweep {
namespace {

constexpr double kMaxRuns = 1e6;

const std::vector<std::string> kTopLevelKeys = {
    "name",   "description", "tasks",   "batch_sizes", "lr",        "optimizer", "epochs",
    "steps",  "seeds",       "dtype",   "device",      "shuffle",   "drop_last", "log_every",
    "generator", "stream", "expected", "timeout", "max_memory", "max_cohort", "lr_scaling", "warmup_epochs",
    "until", "probes"};

// Names become file and folder names (results/<grid name>/, plots/<task>_loss_epoch.png): letters, digits,
// '.', '_' and '-', not starting with '.' or '-', at most 64 characters.
std::string read_name(const nlohmann::json& value, const std::string& path) {
  const std::string name = read_string(value, path);
  bool safe = !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-';
  for (char c : name) safe = safe && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!safe)
    fail_at(path, "a name of letters, digits, '.', '_' and '-' (not starting with '.' or '-', at most 64 characters)",
            value);
  return name;
}

TaskSpec read_task(const nlohmann::json& value, const std::string& path) {
  require_object(value, path);
  if (!value.contains("type")) throw InputError(fmt::format("{}: missing key \"type\"", path));
  TaskSpec task;
  task.type = read_choice(value.at("type"), path_key(path, "type"), task_types());
  task.name = value.contains("name") ? read_name(value.at("name"), path_key(path, "name")) : task.type;
  nlohmann::json params = value;
  params.erase("type");
  params.erase("name");
  task.params = task_kind(task.type).resolve(params, path);
  return task;
}

BatchSize read_batch_size(const nlohmann::json& value, const std::string& path) {
  if (value.is_string() && value.get<std::string>() == "full") return BatchSize{};
  if (value.is_number_integer() && value.get<std::int64_t>() > 0) return BatchSize{value.get<std::int64_t>()};
  fail_at(path, "a positive integer or \"full\"", value);
}

// "expected": {"source": text, "digits": d, "task": name, "values": [{"batch_size": 1 or "full", "w": .., "b": ..}]}
nlohmann::json read_expected(const nlohmann::json& value, const SweepSpec& spec) {
  require_object(value, "expected");
  require_known_keys(value, "expected", {"source", "digits", "task", "values"});
  for (const char* key : {"source", "task", "values"})
    if (!value.contains(key)) throw InputError(fmt::format("expected.{}: missing", key));
  read_string(value.at("source"), "expected.source");
  const auto task = read_string(value.at("task"), "expected.task");
  bool known = false;
  for (const auto& t : spec.tasks) known = known || t.name == task;
  if (!known) fail_at("expected.task", "the name of one of the grid's tasks", value.at("task"));
  if (value.contains("digits")) read_non_negative_int(value.at("digits"), "expected.digits");
  const auto& values = value.at("values");
  if (!values.is_array() || values.empty()) fail_at("expected.values", "a non-empty list", values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto path = path_index("expected.values", i);
    require_object(values[i], path);
    if (!values[i].contains("batch_size")) throw InputError(fmt::format("{}.batch_size: missing", path));
    read_batch_size(values[i].at("batch_size"), path_key(path, "batch_size"));
    for (const auto& item : values[i].items())
      if (item.key() != "batch_size") read_number(item.value(), path_key(path, item.key()));
  }
  return value;
}

const std::vector<std::string> kTargetMetrics = {"train_loss", "test_loss", "train_accuracy", "test_accuracy"};

// "until": {"train_loss": 0.1} (one metric and its target).
Target read_until(const nlohmann::json& value) {
  require_object(value, "until");
  require_known_keys(value, "until", kTargetMetrics);
  if (value.size() != 1) fail_at("until", "an object with exactly one target, e.g. {\"train_loss\": 0.1}", value);
  const auto item = value.begin();
  Target target{item.key(), read_number(item.value(), path_key("until", item.key()))};
  if (!target.is_loss() && !(target.value > 0 && target.value <= 1))
    fail_at(path_key("until", item.key()), "an accuracy above 0 and at most 1", item.value());
  return target;
}

// "lr_scaling": "none" or {"rule": "linear" | "sqrt" | "none", "base_batch": B}.
LrScaling read_lr_scaling(const nlohmann::json& value, const std::string& path) {
  if (value.is_string()) {
    if (value.get<std::string>() != "none") fail_at(path, "\"none\" or {\"rule\": ..., \"base_batch\": B}", value);
    return {};
  }
  require_object(value, path);
  require_known_keys(value, path, {"rule", "base_batch"});
  if (!value.contains("rule")) throw InputError(fmt::format("{}.rule: missing (none, linear or sqrt)", path));
  LrScaling scaling;
  scaling.rule = read_choice(value.at("rule"), path_key(path, "rule"), {"none", "linear", "sqrt"});
  if (scaling.rule == "none") {
    if (value.contains("base_batch")) read_positive_int(value.at("base_batch"), path_key(path, "base_batch"));
    return {};
  }
  if (!value.contains("base_batch"))
    throw InputError(fmt::format("{}.base_batch: missing (the batch size at which lr is the grid's lr)", path));
  scaling.base_batch = read_positive_int(value.at("base_batch"), path_key(path, "base_batch"));
  return scaling;
}

}  // namespace

bool Target::is_loss() const { return metric == "train_loss" || metric == "test_loss"; }

bool Target::met_by(double measured) const { return is_loss() ? measured <= value : measured >= value; }

nlohmann::json Target::config() const { return {{metric, value}}; }

nlohmann::json LrScaling::config() const {
  return {{"rule", rule}, {"base_batch", base_batch}};
}

const TaskKind& TaskSpec::kind() const { return task_kind(type); }
std::int64_t TaskSpec::train_size() const { return kind().train_size(params); }
std::int64_t TaskSpec::test_size() const { return kind().test_size(params); }
std::int64_t TaskSpec::linear_features() const { return kind().linear_features(params); }
bool TaskSpec::data_in_plane() const { return kind().data_in_plane(params); }
bool TaskSpec::is_classifier() const { return kind().is_classifier(params); }
double TaskSpec::sample_cost() const { return kind().sample_cost(params); }

nlohmann::json RunSpec::config() const {
  nlohmann::json config = {
      {"task", {{"name", task.name}, {"type", task.type}, {"params", task.params}}},
      {"batch_size", batch_size.is_full() ? nlohmann::json("full") : nlohmann::json(*batch_size.size)},
      {"lr", lr},
      {"optimizer", optimizer.config()},
      {budget.kind == Budget::Kind::epochs ? "epochs" : "steps", budget.value},
      {"seed", seed},
      {"dtype", dtype},
      {"device", device},
      {"shuffle", shuffle},
      {"drop_last", drop_last},
      {"log_every", log_every},
      {"generator", generator},
      {"stream", shared_stream ? nlohmann::json{{"shared_after", stream_previous}} : nlohmann::json("per_run")},
  };
  // Keys a grid without them never had: absent when unused, so those runs keep their ids.
  if (lr_scaling.rule != "none") config["lr_scaling"] = lr_scaling.config();
  if (warmup_epochs > 0) config["warmup_epochs"] = warmup_epochs;
  if (until) config["until"] = until->config();
  if (probes.is_object() && !probes.empty()) config["probes"] = probes;
  return config;
}

SweepSpec parse_sweep(const nlohmann::json& grid, const std::string& default_name) {
  require_object(grid, "");
  require_known_keys(grid, "", kTopLevelKeys);
  SweepSpec spec;
  spec.source = grid;
  spec.name = grid.contains("name") ? read_name(grid.at("name"), "name") : default_name;
  if (grid.contains("description")) spec.description = read_string(grid.at("description"), "description");

  for (const char* key : {"tasks", "batch_sizes", "lr", "seeds"})
    if (!grid.contains(key)) throw InputError(fmt::format("{}: missing (a grid needs tasks, batch_sizes, lr, seeds and epochs or steps)", key));

  const auto& tasks = grid.at("tasks");
  if (!tasks.is_array() || tasks.empty()) fail_at("tasks", "a non-empty list of task objects", tasks);
  std::set<std::string> task_names;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    TaskSpec task = read_task(tasks[i], path_index("tasks", i));
    if (!task_names.insert(task.name).second)
      throw InputError(fmt::format("{}: duplicate task name \"{}\" (give each task a distinct \"name\")",
                                   path_index("tasks", i), task.name));
    spec.tasks.push_back(std::move(task));
  }

  spec.batch_sizes = read_axis<BatchSize>(grid.at("batch_sizes"), "batch_sizes", read_batch_size);
  spec.lrs = read_axis<double>(grid.at("lr"), "lr", read_positive_number);
  spec.lr_scalings = grid.contains("lr_scaling")
                         ? read_axis<LrScaling>(grid.at("lr_scaling"), "lr_scaling", read_lr_scaling)
                         : std::vector<LrScaling>{LrScaling{}};
  if (grid.contains("warmup_epochs")) {
    spec.warmup_epochs = read_non_negative_number(grid.at("warmup_epochs"), "warmup_epochs");
    if (spec.warmup_epochs > 1e6) fail_at("warmup_epochs", "a number of epochs from 0 to 1e6", grid.at("warmup_epochs"));
  }
  if (grid.contains("until")) spec.until = read_until(grid.at("until"));
  if (grid.contains("probes")) spec.probes = resolve_probes(grid.at("probes"), "probes");
  if (const auto noise = probe_config(spec.probes).gradient_noise) {
    for (std::size_t i = 0; i < spec.tasks.size(); ++i) {
      const auto n = spec.tasks[i].train_size();
      const auto below = std::count_if(noise->batch_sizes.begin(), noise->batch_sizes.end(), [n](std::int64_t m) { return m < n; });
      if (below < 2)
        throw InputError(fmt::format("probes.gradient_noise.batch_sizes: task \"{}\" ({}) has {} training samples; a "
                                     "slope needs at least two batch sizes below that", spec.tasks[i].name,
                                     path_index("tasks", i), n));
    }
  }
  spec.optimizers = grid.contains("optimizer")
                        ? read_axis<OptimizerSpec>(grid.at("optimizer"), "optimizer", read_optimizer)
                        : std::vector<OptimizerSpec>{OptimizerSpec{}};

  if (grid.contains("epochs") == grid.contains("steps"))
    throw InputError("epochs, steps: give exactly one budget, \"epochs\" or \"steps\"");
  const char* budget_key = grid.contains("epochs") ? "epochs" : "steps";
  Budget::Kind kind = grid.contains("epochs") ? Budget::Kind::epochs : Budget::Kind::steps;
  for (std::int64_t value : read_axis<std::int64_t>(grid.at(budget_key), budget_key, read_positive_int))
    spec.budgets.push_back(Budget{kind, value});

  spec.seeds = [&] {
    std::vector<std::uint64_t> seeds;
    for (std::int64_t seed : read_axis<std::int64_t>(grid.at("seeds"), "seeds", read_non_negative_int))
      seeds.push_back(static_cast<std::uint64_t>(seed));
    return seeds;
  }();

  auto dtype = [](const nlohmann::json& v, const std::string& p) { return read_choice(v, p, {"float32", "float64"}); };
  auto device = [](const nlohmann::json& v, const std::string& p) { return read_choice(v, p, {"cpu", "cuda", "auto"}); };
  spec.dtypes = grid.contains("dtype") ? read_axis<std::string>(grid.at("dtype"), "dtype", dtype)
                                       : std::vector<std::string>{"float32"};
  spec.devices = grid.contains("device") ? read_axis<std::string>(grid.at("device"), "device", device)
                                         : std::vector<std::string>{"cpu"};
  spec.shuffles = grid.contains("shuffle") ? read_axis<bool>(grid.at("shuffle"), "shuffle", read_bool)
                                           : std::vector<bool>{true};
  spec.drop_lasts = grid.contains("drop_last") ? read_axis<bool>(grid.at("drop_last"), "drop_last", read_bool)
                                               : std::vector<bool>{false};
  if (grid.contains("log_every")) spec.log_every = read_non_negative_int(grid.at("log_every"), "log_every");
  auto generator = [](const nlohmann::json& v, const std::string& p) { return read_choice(v, p, {"torch", "numpy"}); };
  spec.generators = grid.contains("generator") ? read_axis<std::string>(grid.at("generator"), "generator", generator)
                                               : std::vector<std::string>{"torch"};
  for (const auto& name : spec.generators) {
    if (name != "numpy") continue;
    for (std::size_t i = 0; i < spec.seeds.size(); ++i)
      if (spec.seeds[i] > 0xffffffffu)
        throw InputError(fmt::format("{}: the numpy generator takes seeds up to 4294967295, got {}",
                                     path_index("seeds", i), spec.seeds[i]));
  }
  if (grid.contains("stream"))
    spec.shared_stream = read_choice(grid.at("stream"), "stream", {"per_run", "shared"}) == "shared";
  if (grid.contains("expected")) spec.expected = read_expected(grid.at("expected"), spec);
  double runs = static_cast<double>(spec.tasks.size());
  // A target every task can meet in principle: a test split for test_*, a classifier for *_accuracy.
  for (std::size_t i = 0; spec.until && i < spec.tasks.size(); ++i) {
    const auto& task = spec.tasks[i];
    const char* missing = spec.until->metric.rfind("test_", 0) == 0 && task.test_size() == 0 ? "has no test split (n_test 0)"
                          : !spec.until->is_loss() && !task.is_classifier()                  ? "does not classify"
                                                                                              : nullptr;
    if (missing)
      throw InputError(fmt::format("until.{}: task \"{}\" ({}) {}", spec.until->metric, task.name,
                                   path_index("tasks", i), missing));
  }
  for (std::size_t axis : {spec.optimizers.size(), spec.lrs.size(), spec.lr_scalings.size(), spec.budgets.size(), spec.batch_sizes.size(),
                           spec.dtypes.size(), spec.devices.size(), spec.shuffles.size(), spec.drop_lasts.size(),
                           spec.generators.size(), spec.seeds.size()})
    runs *= static_cast<double>(axis);
  if (runs > kMaxRuns)
    throw InputError(fmt::format("(top level): the grid expands to {:g} runs, more than the {:g} a sweep may have",
                                 runs, kMaxRuns));
  if (grid.contains("timeout")) spec.timeout_s = read_positive_number(grid.at("timeout"), "timeout");
  if (grid.contains("max_memory")) {
    const auto& value = grid.at("max_memory");
    spec.max_memory = value.is_string() ? parse_size(value.get<std::string>(), "max_memory")
                                        : read_positive_int(value, "max_memory");
  }
  if (grid.contains("max_cohort")) {
    spec.max_cohort = read_positive_int(grid.at("max_cohort"), "max_cohort");
    if (spec.max_cohort > kMaxCohort) fail_at("max_cohort", fmt::format("a positive integer up to {}", kMaxCohort), grid.at("max_cohort"));
  }
  return spec;
}

RunSpec run_from_config(const nlohmann::json& config, std::size_t index, const std::string& where) {
  require_object(config, where);
  require_known_keys(config, where, {"task", "batch_size", "lr", "optimizer", "epochs", "steps", "seed", "dtype",
                                     "device", "shuffle", "drop_last", "log_every", "generator", "stream",
                                     "lr_scaling", "warmup_epochs", "until", "probes"});
  // A grid of one run, validated like any grid, then expanded.
  nlohmann::json grid = config;
  const auto& task = config.at("task");
  require_object(task, path_key(where, "task"));
  nlohmann::json task_json = task.value("params", nlohmann::json::object());
  task_json["type"] = task.at("type");
  task_json["name"] = task.at("name");
  grid["tasks"] = nlohmann::json::array({task_json});
  grid.erase("task");
  grid["batch_sizes"] = nlohmann::json::array({config.at("batch_size")});
  grid.erase("batch_size");
  grid["seeds"] = nlohmann::json::array({config.at("seed")});
  grid.erase("seed");
  const auto stream = config.at("stream");
  grid["stream"] = stream.is_object() ? "shared" : "per_run";
  auto runs = expand(parse_sweep(grid, "run"));
  RunSpec run = std::move(runs.at(0));
  if (stream.is_object()) run.stream_previous = read_string(stream.at("shared_after"), path_key(where, "stream"));
  run.index = index;
  run.id = run_id(run);
  return run;
}

SweepSpec load_sweep(const std::string& file_path) {
  nlohmann::json grid = parse_json_file(file_path);
  return parse_sweep(grid, std::filesystem::path(file_path).stem().string());
}

}  // namespace bsweep
