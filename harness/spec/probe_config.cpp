#include "spec/probe_config.h"

#include "util/json_path.h"

#include <fmt/format.h>

#include <algorithm>

namespace bsweep {
namespace {

// `true` means every default; an object overrides some.
nlohmann::json options_object(const nlohmann::json& value, const std::string& path,
                              const std::vector<std::string>& keys) {
  if (value.is_boolean() && value.get<bool>()) return nlohmann::json::object();
  if (!value.is_object()) fail_at(path, "true or an object of options", value);
  require_known_keys(value, path, keys);
  return value;
}

nlohmann::json resolve_gradient_noise(const nlohmann::json& value, const std::string& path) {
  const auto options = options_object(value, path, {"batch_sizes", "samples", "every_epochs"});
  std::vector<std::int64_t> sizes = {1, 2, 4, 8, 16, 32, 64, 128};
  if (options.contains("batch_sizes")) sizes = read_positive_int_list(options.at("batch_sizes"), path_key(path, "batch_sizes"));
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  if (sizes.size() < 2)
    fail_at(path_key(path, "batch_sizes"), "at least two distinct batch sizes (a slope needs two points)",
            options.at("batch_sizes"));
  const std::int64_t samples = options.contains("samples") ? read_positive_int(options.at("samples"), path_key(path, "samples")) : 32;
  if (samples < 2 || samples > 1000000)
    fail_at(path_key(path, "samples"), "from 2 to 1000000 mini-batches per batch size", options.at("samples"));
  const std::int64_t every = options.contains("every_epochs")
                                 ? read_non_negative_int(options.at("every_epochs"), path_key(path, "every_epochs"))
                                 : 0;
  return {{"batch_sizes", sizes}, {"samples", samples}, {"every_epochs", every}};
}

nlohmann::json resolve_noise_scale(const nlohmann::json& value, const std::string& path) {
  const auto options = options_object(value, path, {"small", "big", "every", "ema"});
  NoiseScaleConfig config;
  if (options.contains("small")) config.small = read_positive_int(options.at("small"), path_key(path, "small"));
  if (options.contains("big")) config.big = read_positive_int(options.at("big"), path_key(path, "big"));
  if (options.contains("every")) config.every = read_positive_int(options.at("every"), path_key(path, "every"));
  if (options.contains("ema")) {
    config.ema = read_number(options.at("ema"), path_key(path, "ema"));
    if (!(config.ema >= 0 && config.ema < 1)) fail_at(path_key(path, "ema"), "a number from 0 up to (not including) 1", options.at("ema"));
  }
  if (config.small >= config.big)
    throw InputError(fmt::format("{}: small ({}) must be less than big ({})", path, config.small, config.big));
  return {{"small", config.small}, {"big", config.big}, {"every", config.every}, {"ema", config.ema}};
}

nlohmann::json resolve_sharpness(const nlohmann::json& value, const std::string& path) {
  const auto options = options_object(value, path, {"iterations", "tolerance", "epsilon", "ascent_steps"});
  SharpnessConfig config;
  if (options.contains("iterations")) config.iterations = read_positive_int(options.at("iterations"), path_key(path, "iterations"));
  if (options.contains("tolerance")) config.tolerance = read_positive_number(options.at("tolerance"), path_key(path, "tolerance"));
  if (options.contains("epsilon")) {
    config.epsilon = read_non_negative_number(options.at("epsilon"), path_key(path, "epsilon"));
    if (config.epsilon > 1) fail_at(path_key(path, "epsilon"), "a relative box size from 0 to 1 (Keskar et al.: 1e-3, 5e-4)", options.at("epsilon"));
  }
  if (options.contains("ascent_steps")) config.ascent_steps = read_positive_int(options.at("ascent_steps"), path_key(path, "ascent_steps"));
  return {{"iterations", config.iterations}, {"tolerance", config.tolerance}, {"epsilon", config.epsilon},
          {"ascent_steps", config.ascent_steps}};
}

}  // namespace

const std::vector<std::string>& probe_names() {
  static const std::vector<std::string> names = {"gradient_noise", "noise_scale", "sharpness"};
  return names;
}

nlohmann::json resolve_probes(const nlohmann::json& value, const std::string& path) {
  require_object(value, path);
  require_known_keys(value, path, probe_names());
  nlohmann::json resolved = nlohmann::json::object();
  for (const auto& item : value.items()) {
    const auto where = path_key(path, item.key());
    if (item.value().is_boolean() && !item.value().get<bool>()) continue;  // false: off
    if (item.key() == "gradient_noise") resolved[item.key()] = resolve_gradient_noise(item.value(), where);
    if (item.key() == "noise_scale") resolved[item.key()] = resolve_noise_scale(item.value(), where);
    if (item.key() == "sharpness") resolved[item.key()] = resolve_sharpness(item.value(), where);
  }
  return resolved;
}

ProbeConfig probe_config(const nlohmann::json& resolved) {
  ProbeConfig config;
  if (!resolved.is_object()) return config;
  if (resolved.contains("gradient_noise")) {
    const auto& o = resolved.at("gradient_noise");
    config.gradient_noise = GradientNoiseConfig{o.at("batch_sizes").get<std::vector<std::int64_t>>(),
                                                o.at("samples").get<std::int64_t>(), o.at("every_epochs").get<std::int64_t>()};
  }
  if (resolved.contains("noise_scale")) {
    const auto& o = resolved.at("noise_scale");
    config.noise_scale = NoiseScaleConfig{o.at("small").get<std::int64_t>(), o.at("big").get<std::int64_t>(),
                                          o.at("every").get<std::int64_t>(), o.at("ema").get<double>()};
  }
  if (resolved.contains("sharpness")) {
    const auto& o = resolved.at("sharpness");
    config.sharpness = SharpnessConfig{o.at("iterations").get<std::int64_t>(), o.at("tolerance").get<double>(),
                                       o.at("epsilon").get<double>(), o.at("ascent_steps").get<std::int64_t>()};
  }
  return config;
}

}  // namespace bsweep
