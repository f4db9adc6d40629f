#include "exec/job_file.h"

#include "util/json_path.h"

#include <fmt/format.h>

namespace bsweep {

nlohmann::json make_job(const std::string& sweep_id, const std::string& result_dir, const std::vector<JobRun>& runs,
                        bool cohort) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& item : runs)
    list.push_back({{"index", item.run.index}, {"id", item.run.id}, {"config", item.run.config()},
                    {"keep_data", item.keep_data}});
  return {{"sweep", sweep_id}, {"result_dir", result_dir}, {"runs", list}, {"cohort", cohort}};
}

JobFile read_job(const std::string& file) {
  const auto json = parse_json_file(file);
  require_object(json, "");
  require_known_keys(json, "", {"sweep", "result_dir", "runs", "cohort"});
  JobFile job;
  for (const char* key : {"sweep", "result_dir", "runs"})
    if (!json.contains(key)) throw InputError(fmt::format("{}: {}: missing", file, key));
  job.sweep = read_string(json.at("sweep"), "sweep");
  job.result_dir = read_string(json.at("result_dir"), "result_dir");
  if (json.contains("cohort")) job.cohort = read_bool(json.at("cohort"), "cohort");
  const auto& runs = json.at("runs");
  if (!runs.is_array() || runs.empty()) fail_at("runs", "a non-empty list", runs);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto path = path_index("runs", i);
    const auto& item = runs[i];
    require_object(item, path);
    require_known_keys(item, path, {"index", "id", "config", "keep_data"});
    for (const char* key : {"index", "id", "config"})
      if (!item.contains(key)) throw InputError(fmt::format("{}: {}: missing", file, path_key(path, key)));
    const auto index = static_cast<std::size_t>(read_non_negative_int(item.at("index"), path_key(path, "index")));
    JobRun run{run_from_config(item.at("config"), index, path_key(path, "config")),
               read_string(item.at("id"), path_key(path, "id")), false};
    if (item.contains("keep_data")) run.keep_data = read_bool(item.at("keep_data"), path_key(path, "keep_data"));
    job.runs.push_back(std::move(run));
  }
  return job;
}

std::string result_path(const std::string& result_dir, const std::string& run_id) {
  return fmt::format("{}/{}.json", result_dir, run_id);
}

}  // namespace bsweep
