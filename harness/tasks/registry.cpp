#include "tasks/registry.h"

#include "json_path.h"
#include "tasks/fault.h"
#include "tasks/linear.h"
#include "tasks/mlp.h"

#include <fmt/format.h>

namespace bsweep {

std::vector<std::string> task_types() {
  if (fault_task_enabled()) return {"linear", "mlp", "fault"};
  return {"linear", "mlp"};
}

nlohmann::json resolve_task_params(const std::string& type, const nlohmann::json& params, const std::string& path) {
  if (type == "linear") return resolve_linear_params(params, path);
  if (type == "mlp") return resolve_mlp_params(params, path);
  if (type == "fault" && fault_task_enabled()) return resolve_fault_params(params, path);
  throw InputError(fmt::format("{}.type: unknown task type \"{}\"", path, type));
}

std::unique_ptr<Task> make_task(const TaskSpec& spec) {
  if (spec.type == "linear") return std::make_unique<LinearTask>(spec.params);
  if (spec.type == "mlp") return std::make_unique<MlpTask>(spec.params);
  if (spec.type == "fault") return std::make_unique<FaultTask>(spec.params);
  throw std::logic_error(fmt::format("unknown task type \"{}\"", spec.type));
}

std::int64_t task_train_size(const TaskSpec& spec) { return spec.params.at("n_train").get<std::int64_t>(); }

}  // namespace bsweep
