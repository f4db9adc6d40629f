// Every task kind, by type name: a plain list, no static registration.
#pragma once

#include "tasks/task_kind.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

// Adding a kind NAME: write tasks/NAME.cpp (see tasks/task_kind.h), add it to BSWEEP_TASK_FILES in
// CMakeLists.txt, and add KIND(NAME) here, before fault (the test-only kind stays last).
#define BSWEEP_TASK_KINDS(KIND) KIND(linear) KIND(mlp) KIND(fault)

namespace bsweep {

class Task;  // tasks/task.h: the training face, with LibTorch

#define BSWEEP_DECLARE_TASK_KIND(NAME)  \
  const TaskKind& NAME##_task_kind();   \
  std::unique_ptr<Task> make_##NAME##_task(const nlohmann::json& params);
BSWEEP_TASK_KINDS(BSWEEP_DECLARE_TASK_KIND)
#undef BSWEEP_DECLARE_TASK_KIND

// The kinds a grid may use on this machine, in registry order.
std::vector<std::string> task_types();
// The kind of `type`; std::logic_error for a type that no grid could have given (parse_sweep checks first).
const TaskKind& task_kind(const std::string& type);

}  // namespace bsweep
