#include "results/run_result.h"

namespace bsweep {

std::vector<double> linear_weights(const std::vector<NamedValues>& parameters) {
  std::vector<double> weights, bias;
  for (const auto& parameter : parameters) {
    if (parameter.name == "0.weight") weights = parameter.values;
    if (parameter.name == "0.bias") bias = parameter.values;
  }
  weights.insert(weights.end(), bias.begin(), bias.end());
  return weights;
}

bool is_out_of_memory(const std::string& message) {
  // LibTorch's CPU allocator ("can't allocate memory") and CUDA caching allocator ("CUDA out of memory").
  return message.find("can't allocate memory") != std::string::npos ||
         message.find("out of memory") != std::string::npos;
}

}  // namespace bsweep
