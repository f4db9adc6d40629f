// What training one run yields, as plain data: the worker fills it, the hand-off carries it (results/result_json),
// the parent writes it (results/writer). No LibTorch here: the readers and the parent never train.
#pragma once

#include "results/status.h"
#include "spec/batches.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bsweep {

struct CurvePoint {
  double epoch = 0;             // iterations / iterations per epoch (whole at epoch ends)
  std::int64_t iteration = 0;   // optimizer steps so far
  double train_loss = 0;        // mean loss over the whole training set, evaluated at this point
  double test_loss = 0;         // the same over the test set (NaN without a test split)
  double train_accuracy = -1;   // classification tasks only (-1 otherwise)
  double test_accuracy = -1;
  double batch_loss = -1;       // mean of the mini-batch losses since the previous point (-1 at the start)
  double elapsed_s = 0;         // training seconds so far (evaluation excluded)
  std::vector<double> linear;   // linear tasks: the weights, then the bias, at this point (empty otherwise)
  std::map<std::string, double> measures;  // probes' values at this point, by name (probes/measures.h: curves)
};

// One value of a probe at a curve point for batch size m (probes/measures.h: series; probes.csv).
struct SeriesValue {
  std::int64_t iteration = 0;
  double epoch = 0;
  std::string quantity;
  std::int64_t m = 0;
  double value = 0;
};

struct NamedValues {
  std::string name;  // as LibTorch names it, e.g. "0.weight"
  std::vector<double> values;  // row-major
};

// The training set of a task whose data lies in the plane (TaskKind::data_in_plane), for the plots.
struct PlaneData {
  std::vector<double> x, y;
};

struct TrainResult {
  RunStatus status = RunStatus::ok;  // a worker: ok, diverged, oom, error (its parent adds the others)
  std::string error;
  BatchPlan plan;
  std::int64_t iterations = 0;  // steps actually taken
  std::int64_t samples = 0;     // training samples those steps processed
  std::vector<CurvePoint> curve;
  std::vector<NamedValues> parameters;  // final values
  std::vector<double> least_squares;    // linear task: the least-squares weights, then bias, of the training data
  std::string device;                   // the resolved device, e.g. "cpu", "cuda:0"
  std::string device_name;              // what it is, e.g. "cpu: AMD EPYC 7B13", "cuda: NVIDIA H100"
  PlaneData data;                       // asked-for runs of tasks with data in the plane: their training set
  double wall_s = 0;   // whole run: data, model, training, evaluation
  double train_s = 0;  // optimizer steps only
  // Measured values for runs.csv, by name (probes/measures.h: runs): the memory probe's always, others' as asked.
  std::map<std::string, double> measures;
  std::vector<SeriesValue> series;         // probes' values per point and batch size (probes.csv)
  // A run trained in a cohort (train_cohort.h) shares its cohort's clock: its wall_s and train_s are the cohort's
  // divided among the runs training, and what one step of its configuration costs alone comes from a short solo
  // probe, as do its memory measures. -1: the run trained alone, and train_s / iterations is its step time.
  double alone_step_s = -1;
  std::int64_t process_peak_rss_bytes = -1;  // the worker process's peak RSS (wait4), set by the parent
  std::string cohort;            // set by the parent: the cohort the run trained in ("" alone), its first run's id
  std::int64_t cohort_size = 1;  // set by the parent: how many runs trained together (1 alone)
};

// A linear model's weights, then its bias, from its parameters ("0.weight", "0.bias"); empty for other models.
std::vector<double> linear_weights(const std::vector<NamedValues>& parameters);

// True for the messages LibTorch's allocators throw when memory runs out.
bool is_out_of_memory(const std::string& message);

}  // namespace bsweep
