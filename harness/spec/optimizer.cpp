#include "spec/optimizer.h"

#include "util/json_path.h"

#include <fmt/format.h>

namespace bsweep {

std::vector<std::string> optimizer_names() { return {"sgd", "adam"}; }

nlohmann::json OptimizerSpec::config() const {
  nlohmann::json json = {{"name", name}};
  if (name == "sgd") json["momentum"] = momentum;
  return json;
}

std::string OptimizerSpec::label() const {
  if (name == "sgd" && momentum > 0) return fmt::format("sgd/{:g}", momentum);
  return name;
}

std::optional<double> OptimizerSpec::momentum_if_any() const {
  if (name == "sgd") return momentum;
  return std::nullopt;
}

OptimizerSpec read_optimizer(const nlohmann::json& value, const std::string& path) {
  OptimizerSpec optimizer;
  if (value.is_string()) {
    optimizer.name = read_choice(value, path, optimizer_names());
    return optimizer;
  }
  if (!value.is_object()) fail_at(path, "\"sgd\", \"adam\" or an object {\"name\": ...}", value);
  if (!value.contains("name")) throw InputError(fmt::format("{}: missing key \"name\"", path));
  optimizer.name = read_choice(value.at("name"), path_key(path, "name"), optimizer_names());
  if (optimizer.name == "sgd") {
    require_known_keys(value, path, {"name", "momentum"});
    if (value.contains("momentum")) {
      optimizer.momentum = read_non_negative_number(value.at("momentum"), path_key(path, "momentum"));
      if (optimizer.momentum >= 1.0) fail_at(path_key(path, "momentum"), "a number in [0, 1)", value.at("momentum"));
    }
  } else {
    require_known_keys(value, path, {"name"});
  }
  return optimizer;
}

}  // namespace bsweep
