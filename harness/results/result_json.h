// A run's result as JSON: what a worker process hands its parent (see runner.cpp), checked on both sides.
//
// Every double crosses losslessly: finite values as JSON numbers (printed with 17 significant digits, which
// read back to the same bits), NaN and ±infinity as the strings "NaN", "Infinity" and "-Infinity". The file
// carries the identity of the build that wrote it and of the sweep invocation that asked for it; the parent
// refuses one from another build or another sweep.
#pragma once

#include "results/run_result.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace bsweep {

// A hand-off file that cannot be read back: the parent records the run as crashed with this message.
class HandoffError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

nlohmann::json encode_double(double value);
// Throws HandoffError naming `where` for anything but a number or one of the three strings above.
double decode_double(const nlohmann::json& value, const std::string& where);

nlohmann::json result_to_json(const TrainResult& result, const std::string& sweep_id, const std::string& run_id);
// Checks the format, the sweep and the run before it reads a single value; HandoffError on any mismatch.
TrainResult result_from_json(const nlohmann::json& json, const std::string& sweep_id, const std::string& run_id);

}  // namespace bsweep
