// The planner: the first of a sweep's three stages (planner -> executor -> trainer). It turns the expanded runs
// that still need a result into jobs, each the runs one worker process trains in order, with their expected cost.
#pragma once

#include "spec.h"

#include <set>
#include <string>
#include <vector>

namespace bsweep {

// A job: one run, or a shared stream's runs in grid order. Runs already recorded are trained again (a shared
// stream is replayed from its start) but not written again.
struct Job {
  std::vector<const RunSpec*> runs;
  std::vector<bool> write;      // per run: record its result (false: recorded already, replayed for the stream)
  std::vector<bool> keep_data;  // per run: hand back its training set (data.csv)
  double cost = 0;
};

// Expected cost of a run, to start the longest first and to estimate the time left:
// steps x (batch + 16) x the task's cost per sample.
double expected_cost(const RunSpec& run);

// The runs that hand back their training set for the plots (data.csv): of a task whose data lies in the plane,
// the first run of each generator and seed (all of them draw the same data first).
std::set<std::string> data_carriers(const std::vector<RunSpec>& runs);

// The jobs for the runs not in `done`, longest first (equal costs keep grid order). `runs` must outlive them.
std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done);

}  // namespace bsweep
