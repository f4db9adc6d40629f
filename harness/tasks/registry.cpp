// The list of kinds, with two faces like a task file: the kinds by name (core), and make_task (training).
#include "tasks/registry.h"

#include <fmt/format.h>

#include <stdexcept>

#ifndef BSWEEP_TRAINING_FACE

namespace bsweep {
namespace {

const std::vector<const TaskKind*>& all_kinds() {
#define BSWEEP_KIND_ADDRESS(NAME) &NAME##_task_kind(),
  static const std::vector<const TaskKind*> kinds = {BSWEEP_TASK_KINDS(BSWEEP_KIND_ADDRESS)};
#undef BSWEEP_KIND_ADDRESS
  return kinds;
}

}  // namespace

std::vector<std::string> task_types() {
  std::vector<std::string> types;
  for (const auto* kind : all_kinds())
    if (kind->available()) types.push_back(kind->type());
  return types;
}

const TaskKind& task_kind(const std::string& type) {
  for (const auto* kind : all_kinds())
    if (kind->type() == type) return *kind;
  throw std::logic_error(fmt::format("unknown task type \"{}\"", type));
}

}  // namespace bsweep

#else  // the training face

#include "tasks/task.h"

namespace bsweep {

std::unique_ptr<Task> make_task(const TaskSpec& spec) {
#define BSWEEP_MAKE_TASK(NAME) \
  if (spec.type == NAME##_task_kind().type()) return make_##NAME##_task(spec.params);
  BSWEEP_TASK_KINDS(BSWEEP_MAKE_TASK)
#undef BSWEEP_MAKE_TASK
  throw std::logic_error(fmt::format("unknown task type \"{}\"", spec.type));
}

}  // namespace bsweep

#endif
