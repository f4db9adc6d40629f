// The planner: the first of a sweep's three stages (planner -> executor -> trainer). It turns the expanded runs
// that still need a result into jobs, each the runs one worker process trains in order, with their expected cost.
#pragma once

#include "spec/spec.h"

#include <set>
#include <string>
#include <vector>

namespace bsweep {

// A job: one run; a shared stream's runs in grid order; or a cohort, runs that train together as one program
// (train_cohort.h). Runs already recorded are trained again (a shared stream is replayed from its start) but not
// written again.
struct Job {
  std::vector<const RunSpec*> runs;
  std::vector<bool> write;      // per run: record its result (false: recorded already, replayed for the stream)
  std::vector<bool> keep_data;  // per run: hand back its training set (data.csv)
  double cost = 0;
  bool cohort = false;
};

struct PlanOptions {
  bool batching = true;         // group runs into cohorts
  std::size_t max_cohort = 64;  // runs per cohort at most
  std::int64_t max_memory = 0;  // bytes per job (0: none); a cohort's estimated tensors take at most a quarter
};

// Runs with equal keys may train in one cohort: they differ at most in seed, learning rate and momentum.
std::string cohort_key(const RunSpec& run);

// A rough upper estimate of one replica's tensor bytes in a cohort: its data (and the epoch's shuffled copy),
// activations over the whole training set at a curve point, parameters and optimizer state.
double replica_bytes(const RunSpec& run);

// Training together pays where a step's fixed cost (dispatch, a few microseconds an operation) outweighs its
// arithmetic: measured on a [32, 32] MLP, a cohort's run-step costs 0.4x a solo step at batch 32, 0.8x at 256,
// and 1.2x at full batch (1000). Runs whose step does more than this much work (batch size x the task's
// cost per sample) train alone.
inline constexpr double kCohortStepWork = 32768;
bool cohort_pays(const RunSpec& run);

// Runs the cohort trainer does not train: with probes (they measure one model at a time), a target to stop at
// (replicas would stop at different steps) or a warmup (a learning rate that changes every step).
bool trains_alone(const RunSpec& run);

// Tensor bytes a cohort may plan for without a memory cap.
inline constexpr double kCohortBytes = 1 << 30;

// Expected cost of a run, to start the longest first and to estimate the time left:
// steps x (batch + 16) x the task's cost per sample.
double expected_cost(const RunSpec& run);

// The runs that hand back their training set for the plots (data.csv): of a task whose data lies in the plane,
// the first run of each generator and seed (all of them draw the same data first).
std::set<std::string> data_carriers(const std::vector<RunSpec>& runs);

// The jobs for the runs not in `done`, longest first (equal costs keep grid order). `runs` must outlive them.
// With batching, the runs with a common cohort_key (shared streams excepted) are cut, in grid order, into cohorts
// of at most max_cohort runs and the memory bound; a cohort of one is a solo job.
std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done,
                           const PlanOptions& options = {});

// Items (by cost) into `bins` bins of about equal total cost: the costliest first into the bin with the least so far.
// Each bin lists its items' indexes, costliest first; equal costs keep their order. Deterministic.
std::vector<std::vector<std::size_t>> balance_by_cost(const std::vector<double>& costs, std::size_t bins);

}  // namespace bsweep
