// The tasks by type name: a plain function, no static registration.
#pragma once

#include "spec.h"
#include "tasks/task.h"

#include <memory>
#include <string>
#include <vector>

namespace bsweep {

std::vector<std::string> task_types();

// Validates a task's parameters (everything but "type" and "name") and fills in the defaults.
// `path` is the task's JSON path, e.g. "tasks[1]".
nlohmann::json resolve_task_params(const std::string& type, const nlohmann::json& params, const std::string& path);

std::unique_ptr<Task> make_task(const TaskSpec& spec);

// Number of training samples, for resolving "full" and counting iterations without drawing data.
std::int64_t task_train_size(const TaskSpec& spec);

}  // namespace bsweep
