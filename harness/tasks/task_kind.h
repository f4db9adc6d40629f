// What a kind of task is, asked without LibTorch: its parameters and defaults, its sizes, what its model looks
// like to the results, and what a step of it costs. Everything outside tasks/ asks a task these questions
// (through TaskSpec, spec.h) and never compares type names.
//
// A kind is one file, tasks/NAME.cpp, with two faces: compiled into the LibTorch-free core library it defines
// NAME_task_kind() (this interface); compiled into the training library (with BSWEEP_TRAINING_FACE defined) it
// defines make_NAME_task(), its data, model and loss (tasks/task.h). tasks/registry.h lists the kinds.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace bsweep {

class TaskKind {
 public:
  virtual ~TaskKind() = default;
  // The grid's "type".
  virtual std::string type() const = 0;
  // Whether grids may use it on this machine (the fault task only under its environment flag).
  virtual bool available() const { return true; }
  // Validates a task's parameters (everything but "type" and "name") and fills in the defaults; `path` is the
  // task's JSON path, e.g. "tasks[1]". The result resolves to itself.
  virtual nlohmann::json resolve(const nlohmann::json& params, const std::string& path) const = 0;

  // The questions below take resolved parameters.
  virtual std::int64_t train_size(const nlohmann::json& params) const { return params.at("n_train").get<std::int64_t>(); }
  virtual std::int64_t test_size(const nlohmann::json& params) const { return params.at("n_test").get<std::int64_t>(); }
  // The input count of a model that is one linear layer with one output, whose weights runs.csv and curves.csv
  // show as w (or w0, w1, ...) and b; 0 for every other model.
  virtual std::int64_t linear_features(const nlohmann::json&) const { return 0; }
  // Whether the training data is points in the plane (one input, one real target): workers hand it back
  // (data.csv) and the plots draw it, with each run's fitted line where the model is linear.
  virtual bool data_in_plane(const nlohmann::json& params) const { return linear_features(params) == 1; }
  // Classification: accuracy columns are filled.
  virtual bool is_classifier(const nlohmann::json&) const { return false; }
  // The cost of one sample through one step, relative to a one-output linear layer: to start the longest runs
  // first and to estimate the time left.
  virtual double sample_cost(const nlohmann::json&) const { return 1; }
};

}  // namespace bsweep
