#include "spec/optimizer.h"

#include "util/json_path.h"

#include <fmt/format.h>

#include <stdexcept>

namespace bsweep {

namespace {

std::string nesterov_needs_momentum(const nlohmann::json& options) {
  if (options.at("nesterov").get<bool>() && options.at("momentum").get<double>() == 0)
    return "nesterov needs a momentum above 0 (as torch.optim.SGD)";
  return {};
}

const nlohmann::json kBetas = nlohmann::json::array({0.9, 0.999});

}  // namespace

const std::vector<OptimizerKind>& optimizer_kinds() {
  // Options and defaults as torch.optim has them; docs/training.md writes out each step.
  static const std::vector<OptimizerKind> kinds = {
      {"sgd",
       {{"momentum", OptionRange::fraction, 0.0, "the momentum buffer's factor (0: none)"},
        {"weight_decay", OptionRange::non_negative, 0.0, "L2 penalty: weight_decay * w added to the gradient"},
        {"nesterov", OptionRange::boolean, false, "Nesterov momentum"}},
       "torch.optim.SGD (dampening 0)",
       nesterov_needs_momentum},
      {"adam",
       {{"betas", OptionRange::betas, kBetas, "the moments' decay rates"},
        {"eps", OptionRange::positive, 1e-8, "added to the denominator"}},
       "torch.optim.Adam (no weight decay, no amsgrad)"},
      {"adamw",
       {{"betas", OptionRange::betas, kBetas, "the moments' decay rates"},
        {"eps", OptionRange::positive, 1e-8, "added to the denominator"},
        {"weight_decay", OptionRange::non_negative, 0.01, "decoupled: w scaled by 1 - lr * weight_decay first"}},
       "torch.optim.AdamW (no amsgrad)"},
  };
  return kinds;
}

const OptimizerKind& optimizer_kind(const std::string& name) {
  for (const auto& kind : optimizer_kinds())
    if (name == kind.name) return kind;
  throw std::out_of_range("no optimizer " + name);
}

std::vector<std::string> optimizer_names() {
  std::vector<std::string> names;
  for (const auto& kind : optimizer_kinds()) names.emplace_back(kind.name);
  return names;
}

OptimizerSpec::OptimizerSpec(const std::string& kind_name) : name(kind_name), options(nlohmann::json::object()) {
  for (const auto& option : optimizer_kind(name).options) options[option.key] = option.fallback;
}

std::optional<double> OptimizerSpec::momentum_if_any() const {
  if (options.contains("momentum")) return number("momentum");
  return std::nullopt;
}

nlohmann::json OptimizerSpec::options_set() const {
  nlohmann::json set = nlohmann::json::object();
  for (const auto& option : optimizer_kind(name).options)
    if (std::string(option.key) != "momentum" && options.at(option.key) != option.fallback)
      set[option.key] = options.at(option.key);
  return set;
}

nlohmann::json OptimizerSpec::config() const {
  nlohmann::json json = {{"name", name}};
  if (auto momentum = momentum_if_any()) json["momentum"] = *momentum;  // always, as before the other options
  json.update(options_set());
  return json;
}

std::string OptimizerSpec::label() const {
  std::string label = name;
  if (momentum_if_any().value_or(0) > 0) label += fmt::format("/{:g}", *momentum_if_any());
  return label;
}

namespace {

nlohmann::json read_option(const OptimizerOption& option, const nlohmann::json& value, const std::string& path) {
  const auto fraction = [&](const nlohmann::json& v, const std::string& at) {
    const double x = read_non_negative_number(v, at);
    if (x >= 1.0) fail_at(at, "a number in [0, 1)", v);
    return x;
  };
  switch (option.range) {
    case OptionRange::fraction:
      return fraction(value, path);
    case OptionRange::non_negative:
      return read_non_negative_number(value, path);
    case OptionRange::positive:
      return read_positive_number(value, path);
    case OptionRange::boolean:
      return read_bool(value, path);
    case OptionRange::betas:
      if (!value.is_array() || value.size() != 2) fail_at(path, "[beta1, beta2], each in [0, 1)", value);
      return nlohmann::json::array({fraction(value[0], path_index(path, 0)), fraction(value[1], path_index(path, 1))});
  }
  throw std::logic_error("an option range without a reader");
}

}  // namespace

OptimizerSpec read_optimizer(const nlohmann::json& value, const std::string& path) {
  std::string names;
  for (const auto& name : optimizer_names()) names += (names.empty() ? "\"" : ", \"") + name + "\"";
  if (!value.is_string() && !value.is_object()) fail_at(path, names + " or an object {\"name\": ...}", value);
  if (value.is_object() && !value.contains("name")) throw InputError(fmt::format("{}: missing key \"name\"", path));
  OptimizerSpec optimizer(value.is_string()
                              ? read_choice(value, path, optimizer_names())
                              : read_choice(value.at("name"), path_key(path, "name"), optimizer_names()));
  const OptimizerKind& kind = optimizer_kind(optimizer.name);
  std::vector<std::string> keys = {"name"};
  for (const auto& option : kind.options) keys.emplace_back(option.key);
  if (value.is_object()) require_known_keys(value, path, keys);
  for (const auto& option : kind.options) {
    if (value.is_object() && value.contains(option.key))
      optimizer.options[option.key] = read_option(option, value.at(option.key), path_key(path, option.key));
  }
  if (kind.check) {
    const auto wrong = kind.check(optimizer.options);
    if (!wrong.empty()) throw InputError(fmt::format("{}: {}", path, wrong));
  }
  return optimizer;
}

}  // namespace bsweep
