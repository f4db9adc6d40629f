// The optimizers a grid may name, each declared once (optimizer_kinds(): its name, its options with their range
// and default): how the grid spells it, how a run's config, id and results show it. The training side steps
// them (optim/: one file per optimizer, built by name).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bsweep {

// What values an option takes; read_optimizer checks them and names the JSON path of one out of range.
enum class OptionRange {
  fraction,      // a number in [0, 1)
  non_negative,  // a number >= 0
  positive,      // a number > 0
  boolean,
  betas,         // [beta1, beta2], each in [0, 1)
};

struct OptimizerOption {
  const char* key;
  OptionRange range;
  nlohmann::json fallback;  // the value when the grid leaves it out (torch.optim's default)
  const char* doc;
};

struct OptimizerKind {
  const char* name;
  std::vector<OptimizerOption> options;
  const char* doc;
  // A rule across options (e.g. nesterov needs momentum): an error message, or empty.
  std::string (*check)(const nlohmann::json& options) = nullptr;
};

// The registry: every optimizer a grid may name, in the order the docs list them.
const std::vector<OptimizerKind>& optimizer_kinds();
const OptimizerKind& optimizer_kind(const std::string& name);  // std::out_of_range for a name not in the list
std::vector<std::string> optimizer_names();

struct OptimizerSpec {
  OptimizerSpec() : OptimizerSpec("sgd") {}
  // The optimizer `name` with every option at its default.
  explicit OptimizerSpec(const std::string& name);

  std::string name;        // one of optimizer_names()
  nlohmann::json options;  // every option of its kind, the defaults filled in

  double number(const char* key) const { return options.at(key).get<double>(); }
  bool flag(const char* key) const { return options.at(key).get<bool>(); }
  // The momentum, for optimizers that have one (runs.csv's momentum column, and the cohorts' per-replica one).
  std::optional<double> momentum_if_any() const;
  // The options not at their default, but momentum (runs.csv's optimizer_options column): {} when none.
  nlohmann::json options_set() const;
  // In a run's config (and so in its id): {"name": ..., "momentum": m (sgd, always), the options set}. Options at
  // their default are left out, so a grid that names none keeps the run ids it had before they existed.
  nlohmann::json config() const;
  // Short, for listings: "sgd", "sgd/0.9", "adam", "adamw".
  std::string label() const;
};

// A grid's "optimizer" value: a name, or an object {"name": ..., options}; InputError names `path`.
OptimizerSpec read_optimizer(const nlohmann::json& value, const std::string& path);

}  // namespace bsweep
