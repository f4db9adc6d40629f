#include "plot/best_per_batch.h"

#include <map>

namespace bsweep {

std::vector<BatchPoint> best_per_batch(const SweepView& view, const PlotTask& task, const std::string& column,
                                       int better, bool all_reached) {
  std::map<double, BatchPoint> best;
  const auto reached_col = view.runs.find("target_reached");
  for (const auto& line : task.lines) {
    const auto summary = run_summary(view, line, column);
    if (summary.count == 0 || summary.count != line.ok_rows.size()) continue;
    if (all_reached) {
      bool every = reached_col.has_value() && line.failed_rows.empty();
      for (auto r : line.ok_rows) every = every && view.runs.number(r, *reached_col).value_or(0) == 1;
      if (!every) continue;
    }
    const double mean = summary.mean;
    auto found = best.find(line.batch);
    if (found == best.end() || (better < 0 ? mean < found->second.mean : mean > found->second.mean))
      best[line.batch] = {line.batch, mean, &line};
  }
  std::vector<BatchPoint> out;
  for (const auto& item : best) out.push_back(item.second);
  return out;
}

}  // namespace bsweep
