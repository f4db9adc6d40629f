// SweepSpec (a grid as written in experiments/NAME.json) and RunSpec (one expanded run).
#pragma once

#include "spec/optimizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bsweep {

class TaskKind;  // tasks/task_kind.h

// A task with its parameters fully resolved (defaults filled in), so that two grids that spell the
// same task differently give the same run ids.
struct TaskSpec {
  std::string name;  // label used in results; defaults to the type
  std::string type;  // the kind, one of task_types() (tasks/registry.h)
  nlohmann::json params;

  // What the task answers about itself (tasks/task_kind.h), for these parameters.
  const TaskKind& kind() const;
  std::int64_t train_size() const;
  std::int64_t test_size() const;
  std::int64_t linear_features() const;  // > 0: one linear layer, whose weights the results show as w.., b
  bool data_in_plane() const;
  bool is_classifier() const;
  double sample_cost() const;
};

// The training budget: a number of epochs, or a number of optimizer steps.
struct Budget {
  enum class Kind { epochs, steps };
  Kind kind = Kind::epochs;
  std::int64_t value = 1;
};

// A batch size as written in the grid: a positive integer, or "full" (the whole training set).
struct BatchSize {
  std::optional<std::int64_t> size;  // empty = "full"
  bool is_full() const { return !size.has_value(); }
  std::string label() const { return size ? std::to_string(*size) : "full"; }
};

// "until": a run stops as soon as a curve point meets the target; its budget (epochs or steps) is then a cap.
struct Target {
  std::string metric;  // train_loss, test_loss (met at or below value), train_accuracy, test_accuracy (at or above)
  double value = 0;
  bool is_loss() const;  // a loss target is met at or below its value, an accuracy at or above
  bool met_by(double measured) const;
  nlohmann::json config() const;
};

// "lr_scaling": how the learning rate follows the batch size (lr_rules.h): none, linear (lr x B / base_batch,
// Goyal et al.) or sqrt (lr x sqrt(B / base_batch), keeping lr^2 / B fixed).
struct LrScaling {
  std::string rule = "none";
  std::int64_t base_batch = 0;
  nlohmann::json config() const;
};

struct RunSpec {
  TaskSpec task;
  BatchSize batch_size;
  double lr = 0.01;
  OptimizerSpec optimizer;
  Budget budget;
  std::uint64_t seed = 0;
  std::string dtype = "float32";  // "float32" or "float64"
  std::string device = "cpu";     // "cpu", "cuda" or "auto"
  bool shuffle = true;
  bool drop_last = false;
  std::int64_t log_every = 0;  // also log every k iterations (0: once per epoch only)
  std::string generator = "torch";  // "torch" or "numpy": where the run's random numbers come from
  // "shared" stream only: the id of the run before this one in its stream ("" for the first).
  bool shared_stream = false;
  std::string stream_previous;

  LrScaling lr_scaling;
  double warmup_epochs = 0;      // the learning rate climbs linearly to its peak over this many epochs (lr_rules.h)
  std::optional<Target> until;   // stop at this target
  nlohmann::json probes = nlohmann::json::object();  // resolved (probes/probe_config.h); empty: none

  std::size_t index = 0;  // position in grid order
  std::string id;         // stable id: a hash of config()

  // Every field that influences the numbers, as canonical JSON (keys sorted). The run id hashes it.
  nlohmann::json config() const;
};

// Cohorts (runs trained together as one program): how many runs one may hold by default, and at most.
inline constexpr std::int64_t kDefaultMaxCohort = 64;
inline constexpr std::int64_t kMaxCohort = 4096;

struct SweepSpec {
  std::string name;
  std::string description;
  nlohmann::json source;  // the grid exactly as read, for the manifest
  std::vector<TaskSpec> tasks;
  std::vector<OptimizerSpec> optimizers;
  std::vector<double> lrs;
  std::vector<LrScaling> lr_scalings;
  std::vector<Budget> budgets;
  std::vector<BatchSize> batch_sizes;
  std::vector<std::string> dtypes;
  std::vector<std::string> devices;
  std::vector<bool> shuffles;
  std::vector<bool> drop_lasts;
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> generators;
  bool shared_stream = false;
  std::int64_t log_every = 0;
  double warmup_epochs = 0;
  std::optional<Target> until;
  nlohmann::json probes = nlohmann::json::object();
  double timeout_s = 0;         // per run; 0: none
  std::int64_t max_memory = 0;  // bytes per run; 0: none
  std::int64_t max_cohort = 0;  // runs that train together at most (plan/planner.h); 0: kDefaultMaxCohort
  // Published values the results are compared with by `bsweep table` (validated, otherwise opaque).
  nlohmann::json expected;
};

// Validates a grid. Every error is an InputError naming the JSON path of the bad value.
SweepSpec parse_sweep(const nlohmann::json& grid, const std::string& default_name);

// The run whose config() is `config` (how a worker receives its runs), validated as a grid is; its id is
// computed afresh, for the caller to compare with the id it was sent. InputError names `where`.
RunSpec run_from_config(const nlohmann::json& config, std::size_t index, const std::string& where);

// Reads and validates a grid file; a file that is not JSON is reported with line and column.
SweepSpec load_sweep(const std::string& file_path);

}  // namespace bsweep
