// The optimizers the trainers can build: one line each (and its declaration), for every name of
// spec/optimizer.cpp's list (tests/optim/registry_test.cpp checks the two lists agree).
#include "optim/optimizer.h"

namespace bsweep {

BSWEEP_DECLARE_OPTIMIZER(sgd)
BSWEEP_DECLARE_OPTIMIZER(adam)
BSWEEP_DECLARE_OPTIMIZER(adamw)

const std::vector<OptimizerMaker>& optimizer_makers() {
  static const std::vector<OptimizerMaker> makers = {
      {"sgd", make_sgd_solo, make_sgd_stacked},
      {"adam", make_adam_solo, make_adam_stacked},
      {"adamw", make_adamw_solo, make_adamw_stacked},
  };
  return makers;
}

}  // namespace bsweep
