// A run's result as JSON: what a worker process hands its parent (see runner.cpp).
#pragma once

#include "train.h"

#include <nlohmann/json.hpp>

namespace bsweep {

nlohmann::json result_to_json(const TrainResult& result);
TrainResult result_from_json(const nlohmann::json& json);

}  // namespace bsweep
