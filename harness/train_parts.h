// Pieces both trainers use (train.cpp trains one run alone, train_cohort.cpp a cohort together), so that a run's
// numbers mean the same whichever trained it.
#pragma once

#include "run_result.h"
#include "tasks/task.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace bsweep {

torch::Dtype to_dtype(const std::string& name);

// A tensor's values as float64, row-major.
std::vector<double> to_vector(const torch::Tensor& tensor);

// Least squares on [X, 1] in float64: what gradient descent on the linear task converges to.
std::vector<double> least_squares(const TaskData& data);

// A run is healthy at a curve point when its losses are finite and the training loss has not grown past
// kDivergenceFactor times its start (train.h).
bool healthy_point(const std::vector<CurvePoint>& curve, bool has_test);

// The error of a run that diverged at its last curve point.
std::string divergence_message(const TrainResult& result);

}  // namespace bsweep
