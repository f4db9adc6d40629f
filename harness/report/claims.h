// "What this sweep says": each claim of the notes that a sweep's data can speak to, what was measured, and the
// verdict on this task. Reads a SweepView (results files only); `bsweep claims` prints it, `bsweep report` shows it.
#pragma once

#include "plot/best_per_batch.h"
#include "plot/sweep_view.h"

#include <string>
#include <vector>

namespace bsweep {

enum class Outcome {
  holds,          // the measurement agrees with the claim
  does_not_hold,  // it contradicts it
  unclear,        // it cannot tell (too few seeds, a mixed picture)
};
std::string to_string(Outcome outcome);

struct Verdict {
  std::string task;
  std::string claim;     // in the notes' words
  std::string measured;  // what this sweep measured, with its numbers
  Outcome outcome = Outcome::unclear;
  std::string figure;    // the figure that shows it (figures.h: a name of figure_names()), "" for none
};

// The notes' advice made concrete, per task, where the sweep measured what it needs (0: not measured).
struct Advice {
  std::string task;
  double time_batch = 0;  // past this batch size the time to the target stops improving (within 10% of the best)
  double test_batch = 0;  // past this batch size the test loss worsens (more than 5% above the best)
  bool test_worsens = false;  // false: it never does within the grid, and test_batch is the largest batch
};

std::vector<Verdict> assess_claims(const SweepView& view);
std::vector<Advice> advise(const SweepView& view);

// Text for the terminal: one block per task.
std::string format_claims(const std::vector<Verdict>& verdicts, const std::vector<Advice>& advice);

}  // namespace bsweep
