#include "tasks/fault.h"

#include "json_path.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace bsweep {

bool fault_task_enabled() {
  const char* flag = std::getenv("BSWEEP_ENABLE_FAULT_TASK");
  return flag != nullptr && std::string(flag) == "1";
}

nlohmann::json resolve_fault_params(const nlohmann::json& params, const std::string& path) {
  // The fault keys, and the linear task's it trains like (resolved parameters must resolve to themselves).
  require_known_keys(params, path, {"mode", "bytes", "seconds", "n_train", "n_test", "features", "w", "b", "noise_std",
                                    "x_range", "init"});
  if (!params.contains("mode")) throw InputError(path_key(path, "mode") + ": missing");
  nlohmann::json out = {{"mode", read_choice(params["mode"], path_key(path, "mode"), {"abort", "allocate", "sleep", "exit"})},
                        {"bytes", 0},
                        {"seconds", 0.0}};
  if (params.contains("bytes")) out["bytes"] = read_non_negative_int(params["bytes"], path_key(path, "bytes"));
  if (params.contains("seconds")) out["seconds"] = read_non_negative_number(params["seconds"], path_key(path, "seconds"));
  nlohmann::json linear = params;
  for (const char* key : {"mode", "bytes", "seconds"}) linear.erase(key);
  const auto resolved = resolve_linear_params(linear, path);  // named: items() of a temporary would dangle
  for (const auto& item : resolved.items()) out[item.key()] = item.value();
  return out;
}

FaultTask::FaultTask(nlohmann::json params) : params_(params), linear_(params) {}

torch::nn::Sequential FaultTask::make_model(RandomSource& rng) const {
  const std::string mode = params_["mode"];
  if (mode == "abort") std::abort();
  if (mode == "exit") std::_Exit(3);
  if (mode == "sleep") std::this_thread::sleep_for(std::chrono::duration<double>(params_["seconds"].get<double>()));
  if (mode == "allocate") {
    // In 64 MiB pieces, each touched, so the memory is really used.
    std::vector<torch::Tensor> pieces;
    for (std::int64_t left = params_["bytes"]; left > 0; left -= 64 << 20)
      pieces.push_back(torch::ones({std::min<std::int64_t>(left, 64 << 20)}, torch::kUInt8));
  }
  return linear_.make_model(rng);
}

}  // namespace bsweep
