#include "sweep/runner.h"

#include "spec/batches.h"
#include "exec/job_end.h"
#include "exec/local_executor.h"
#include "exec/slurm_executor.h"
#include "spec/grid.h"
#include "util/interrupts.h"
#include "exec/job_file.h"
#include "util/json_path.h"
#include "plan/planner.h"
#include "sweep/progress.h"
#include "results/csv.h"
#include "results/folder_files.h"
#include "results/folder_lock.h"
#include "results/manifest.h"
#include "results/result_json.h"
#include "results/runs_check.h"
#include "results/schema.h"
#include "results/writer.h"
#include "results/run_result.h"

#include <fmt/format.h>

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

// Keeps only the rows of `file` whose run_id is in `keep`; rewrites it atomically if any goes.
void keep_rows(const std::string& file, const std::set<std::string>& keep) {
  if (!fs::exists(file)) return;
  const auto table = read_csv(file);
  std::string text = csv_line(table.header);
  bool dropped = false;
  for (const auto& row : table.rows) {
    if (keep.count(row.at(0))) {
      text += csv_line(row);
    } else {
      dropped = true;
    }
  }
  if (dropped) write_atomically(file, text);
}

struct FolderState {
  std::set<std::string> done;  // runs recorded and kept
  std::string started_at;      // of the sweep that began the folder ("" for a new folder)
  nlohmann::json devices;      // what its manifest says the devices are (null for a new folder)
};

// Checks that the folder holds this grid, repairs torn tails, drops the rows of runs to run again (interrupted,
// failed with --retry-failed, and rows of runs that have no runs.csv row), and returns the runs that stay.
FolderState prepare_folder(const SweepSpec& spec, const std::vector<RunSpec>& runs, const RunnerOptions& options,
                           std::int64_t widest) {
  const fs::path dir(options.out_dir);
  FolderState state;
  if (!fs::exists(dir / "runs.csv") && !fs::exists(dir / "manifest.json")) return state;
  bool same_grid = false;
  std::string why_not;
  if (fs::exists(dir / "manifest.json")) {
    const auto manifest = parse_json_file((dir / "manifest.json").string());
    same_grid = manifest.is_object() && manifest.contains("grid") && manifest["grid"] == spec.source;
    const auto started = manifest.is_object() ? manifest.find("started_at") : manifest.end();
    if (same_grid && started != manifest.end() && started->is_string()) state.started_at = started->get<std::string>();
    if (same_grid && manifest.contains("devices")) state.devices = manifest["devices"];
    why_not = "holds results of a different grid";
  } else {
    // No manifest (deleted by hand, say): the rows tell, if the file is a runs.csv of this grid's columns. Every
    // run id is a hash of its configuration, so rows that are all runs of this grid are this grid's results.
    std::ifstream in(dir / "runs.csv");
    std::string header;
    std::getline(in, header);
    if (header + "\n" == csv_line(runs_header(widest))) {
      repair_torn_tail((dir / "runs.csv").string());
      const auto table = read_csv((dir / "runs.csv").string());
      std::set<std::string> ids;
      for (const auto& run : runs) ids.insert(run.id);
      std::size_t foreign = 0;
      for (const auto& row : table.rows) foreign += !row.empty() && !ids.count(row[0]);
      same_grid = foreign == 0;
      why_not = fmt::format("has no manifest.json and {} of its {} runs are not runs of this grid", foreign,
                            table.rows.size());
    } else {
      why_not = "has no manifest.json and its runs.csv is not one of this grid's";
    }
  }
  if (!same_grid) {
    if (!options.force)
      throw InputError(fmt::format("{}: {}; choose another folder with -o, or pass --force to delete its results "
                                   "and start again",
                                   options.out_dir, why_not));
    for (const char* name : kResultFiles) fs::remove(dir / name);
    fs::remove_all(dir / "slurm");  // that grid's submissions
    return state;
  }
  // Only now that the folder is known to be this grid's: cut a partial last row (a power loss) off its files.
  for (const char* name : kRunRowFiles)
    if (fs::exists(dir / name)) repair_torn_tail((dir / name).string());
  check_headers(dir.string(), widest);
  if (!fs::exists(dir / "runs.csv")) return state;
  const auto table = read_csv((dir / "runs.csv").string());
  // Rows come back from disk (a hand edit, a copied shard): only ones bsweep would have written are resumed.
  check_runs_table(table, (dir / "runs.csv").string());
  const auto status_at = *find_column(table, "status");  // check_headers made sure it is there
  for (const auto& row : table.rows) {
    const auto status = parse_run_status(row.at(status_at)).value();  // checked above
    if (status == RunStatus::interrupted || (options.retry_failed && is_failure(status))) continue;
    state.done.insert(row.at(0));
  }
  for (const char* name : kRunRowFiles) keep_rows((dir / name).string(), state.done);
  return state;
}

// Counts the statuses of runs.csv as it stands: the outcome of the sweep is the folder's, not one invocation's.
void count_folder(const std::string& out_dir, SweepOutcome& outcome) {
  const auto path = out_dir + "/runs.csv";
  if (!fs::exists(path)) return;
  const auto table = read_csv(path);
  const auto status_at = *find_column(table, "status");  // check_headers made sure it is there
  outcome.recorded = table.rows.size();
  const auto cohort_at = *find_column(table, "cohort"), size_at = *find_column(table, "cohort_size");
  for (const auto& row : table.rows) {
    if (!row.at(cohort_at).empty()) outcome.cohorts[row.at(cohort_at)] = std::strtoll(row.at(size_at).c_str(), nullptr, 10);
    // Rows this sweep wrote or checked when it adopted the folder.
    const auto status = parse_run_status(row.at(status_at)).value();
    outcome.ok += status == RunStatus::ok;
    outcome.diverged += status == RunStatus::diverged;
    outcome.interrupted_runs += status == RunStatus::interrupted;
    outcome.failed += is_failure(status);
  }
}

// A random 64-bit name for this invocation: the result files it accepts carry it.
std::string new_sweep_id() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

// This invocation's hand-off folder, removed on every way out of the sweep (an exception included); a Slurm
// submission's only when nothing was submitted from it (its jobs outlive this invocation otherwise).
class HandoffFolder {
 public:
  HandoffFolder(std::string path, bool keep) : path_(std::move(path)), keep_(keep) {}
  ~HandoffFolder() {
    std::error_code ignored;
    if (!keep_) fs::remove_all(path_, ignored);
    fs::remove(path_, ignored);                          // when empty
    fs::remove(fs::path(path_).parent_path(), ignored);  // .pending or slurm, when empty
  }
  HandoffFolder(const HandoffFolder&) = delete;
  HandoffFolder& operator=(const HandoffFolder&) = delete;

 private:
  std::string path_;
  bool keep_;
};

// What the folder's manifest says of where its sweep ran and which slice it holds, when it is this grid's.
struct EarlierSweep {
  nlohmann::json slurm;  // the Slurm options it ran with (null: it ran here)
  std::string shard;     // "K/N", or empty
};

EarlierSweep earlier_sweep(const std::string& out_dir, const SweepSpec& spec) {
  EarlierSweep earlier;
  const auto file = fs::path(out_dir) / "manifest.json";
  if (!fs::exists(file)) return earlier;
  nlohmann::json manifest;
  try {
    manifest = parse_json_file(file.string());
  } catch (const InputError&) {
    return earlier;  // prepare_folder says what is wrong with it
  }
  if (!manifest.is_object() || !manifest.contains("grid") || manifest["grid"] != spec.source) return earlier;
  if (manifest.value("executor", nlohmann::json()) == "slurm" && manifest.contains("slurm")) earlier.slurm = manifest["slurm"];
  if (manifest.contains("shard") && manifest["shard"].is_string()) earlier.shard = manifest["shard"].get<std::string>();
  return earlier;
}

// Where a job's results arrive and the sweep invocation they name: this one's, or an earlier Slurm submission's.
struct JobOrigin {
  std::string handoff_dir, sweep_id;
};

}  // namespace

std::string default_results_dir(const SweepSpec& spec) { return "results/" + spec.name; }

namespace {

// One invocation of `bsweep run`, in named phases: choose the executor (nothing runs without it, so nothing is
// written before), open the folder (lock, resume, shard), open the hand-off folder and the manifest, adopt an
// earlier Slurm submission's jobs, plan the rest, dispatch and collect until every job has ended, then count and
// summarize. Its members are what the phases share.
class SweepSession {
 public:
  SweepSession(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log)
      : spec_(spec), options_(options), log_(log) {}

  SweepOutcome run() {
    choose_executor();
    open_folder();
    open_handoff();
    write_start_manifest();
    adopt_submissions();
    plan();
    const InterruptGuard guard;  // Ctrl-C, SIGTERM and SIGHUP are counted (interrupts()) from here on
    dispatch();
    return finish();
  }

 private:
  void choose_executor();
  void open_folder();
  void open_handoff();
  void write_start_manifest();
  void adopt_submissions();
  void plan();
  void dispatch();
  bool start_next_job();
  void collect(const JobEnd& end);
  void record(const RunSpec& run, TrainResult result, std::int64_t process_rss, const Job& job);
  void tell_submissions();
  SweepOutcome finish();
  void print_summary();

  const SweepSpec& spec_;
  const RunnerOptions& options_;
  std::ostream& log_;
  // Settings, from the options, the grid and the folder's earlier sweep.
  int cores_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double timeout_s_ = 0;
  std::int64_t max_memory_ = 0, max_cohort_ = 0;
  EarlierSweep earlier_;
  bool on_slurm_ = false;
  SlurmOptions slurm_options_;
  int workers_ = 0, threads_ = 0;
  // In this order, so that they go in the other: the executor stops every worker before the hand-off folder is
  // removed, and both before the lock is released.
  std::optional<FolderLock> lock_;
  std::optional<HandoffFolder> handoff_;
  std::unique_ptr<Executor> executor_;
  SlurmExecutor* slurm_ = nullptr;  // the executor, when it is Slurm's
  // The folder.
  std::vector<RunSpec> runs_;
  std::set<std::string> in_shard_;
  std::int64_t widest_ = 0;
  std::string shard_text_;
  FolderState folder_;
  std::size_t folder_runs_ = 0;
  double total_cost_ = 0, done_cost_ = 0;
  SweepOutcome outcome_;
  std::string sweep_id_, handoff_dir_;
  std::optional<ResultsWriter> writer_;
  ManifestInfo manifest_;
  // The jobs: adopted ones first, then planned ones, then those run again; each one's origin by index.
  std::vector<Job> jobs_;
  std::vector<JobOrigin> origins_;
  std::size_t adopted_ = 0, next_job_ = 0;
  std::set<std::string> in_flight_;
  std::optional<Progress> progress_;
  std::set<std::size_t> ended_jobs_;
  std::set<const RunSpec*> announced_;  // to the progress display (a cohort's runs again alone are not new)
  std::vector<Job> again_;              // to run again, appended to jobs_ after each collection
  bool forwarded_ = false;              // the first interrupt passed on to the workers
  // Set when a worker could not hand over its result for want of a resource, or a job could not start: the
  // sweep stops, its other workers are killed, and runs without a result stay unrecorded (a rerun runs them).
  bool resource_stop_ = false;
  std::string resource_failure_;
  bool recorded_interrupted_ = false;
  bool polled_since_start_ = false;
  std::size_t tasks_told_ = 0;

  bool belongs(const RunSpec& run) const { return options_.shard.count == 0 || in_shard_.count(run.id) > 0; }
};

void SweepSession::choose_executor() {
  timeout_s_ = options_.timeout_s > 0 ? options_.timeout_s : spec_.timeout_s;
  max_memory_ = options_.max_memory > 0 ? options_.max_memory : spec_.max_memory;
  max_cohort_ = options_.max_cohort > 0 ? options_.max_cohort : spec_.max_cohort > 0 ? spec_.max_cohort : kDefaultMaxCohort;
  earlier_ = earlier_sweep(options_.out_dir, spec_);
  on_slurm_ = options_.slurm || (!options_.local && !earlier_.slurm.is_null());
  slurm_options_ = options_.slurm_options;
  if (on_slurm_ && !options_.slurm) {
    slurm_options_ = slurm_options_from_json(earlier_.slurm, "manifest.json: slurm");
    slurm_options_.wait = options_.slurm_options.wait;
    if (!options_.quiet)
      log_ << "bsweep: this folder's sweep runs on Slurm: going on there (--local runs the rest here)\n";
  }
  // A Slurm task runs its jobs as one machine runs a sweep: one worker per CPU it was given, unless told.
  const int slots = on_slurm_ ? slurm_options_.cpus_per_task : cores_;
  workers_ = options_.workers > 0 ? options_.workers : slots;
  threads_ = options_.threads > 0 ? options_.threads : std::max(1, slots / workers_);
  if (on_slurm_) {
    auto made = std::make_unique<SlurmExecutor>(SlurmExecutorOptions{
        slurm_options_, options_.out_dir, "bsweep-" + spec_.name,
        TaskWorkers{workers_, threads_, max_memory_, options_.max_tensor_bytes}});
    slurm_ = made.get();
    executor_ = std::move(made);
  } else {
    executor_ = std::make_unique<LocalExecutor>(
        LocalOptions{static_cast<std::size_t>(workers_), threads_, max_memory_, options_.max_tensor_bytes});
  }
}

void SweepSession::open_folder() {
  runs_ = expand(spec_);
  // The runs this folder is for: the grid's, or its shard's (a shard past the grid's jobs is refused here, before
  // the folder is made).
  if (options_.shard.count > 0) in_shard_ = shard_runs(spec_, runs_, options_.shard);
  widest_ = widest_linear_task(spec_);
  if (fs::exists(options_.out_dir) && !fs::is_directory(options_.out_dir))
    throw InputError(fmt::format("{}: exists and is not a folder", options_.out_dir));
  lock_.emplace(options_.out_dir);  // held until the session ends
  shard_text_ = options_.shard.count > 0 ? options_.shard.text() : "";
  if (earlier_.shard != shard_text_ && fs::exists(fs::path(options_.out_dir) / "runs.csv"))
    throw InputError(fmt::format("{}: holds {} of this grid, not {}; choose another folder with -o", options_.out_dir,
                                 earlier_.shard.empty() ? "the whole" : "shard " + earlier_.shard,
                                 shard_text_.empty() ? "the whole grid" : "shard " + shard_text_));
  folder_ = prepare_folder(spec_, runs_, options_, widest_);
  if (!on_slurm_) {
    const auto open = open_submissions(options_.out_dir);
    if (!open.empty())
      throw InputError(fmt::format("{}: {} Slurm submission(s) of this folder are not collected yet ({}): run `bsweep "
                                   "run {} -o {}` (without --local) to collect them, or, to forget them, scancel their "
                                   "jobs and remove those folders",
                                   options_.out_dir, open.size(), open.front(), options_.grid_file, options_.out_dir));
  }
  for (const auto& run : runs_) {
    if (!belongs(run)) continue;
    ++folder_runs_;
    total_cost_ += expected_cost(run);
    if (folder_.done.count(run.id)) done_cost_ += expected_cost(run);
  }
  outcome_.total = folder_runs_;
  outcome_.skipped = folder_.done.size();
  if (!options_.quiet) {
    for (const auto& warning : batch_size_warnings(runs_)) log_ << warning << "\n";
    if (!on_slurm_ && workers_ * threads_ > cores_)
      log_ << fmt::format("warning: {} workers × {} threads on {} cores: runs compete for the cores, so their time "
                          "columns read slower than on an idle machine\n",
                          workers_, threads_, cores_);
  }
}

void SweepSession::open_handoff() {
  // Result files of earlier invocations (a killed sweep's, an orphaned worker's) are never adopted: the
  // hand-off folder is this invocation's own, and each file names the invocation it was written for. (A Slurm
  // submission's folder is the exception: its jobs are adopted, by name.)
  sweep_id_ = new_sweep_id();
  const std::string pending =
      on_slurm_ ? fs::absolute(options_.out_dir).string() + "/slurm" : options_.out_dir + "/.pending";
  std::error_code ignored;
  if (!on_slurm_) fs::remove_all(pending, ignored);
  handoff_dir_ = pending + "/" + sweep_id_;
  std::error_code created;
  fs::create_directories(handoff_dir_, created);
  if (created) throw ResourceError(fmt::format("cannot create {}: {}", handoff_dir_, created.message()));
  handoff_.emplace(handoff_dir_, on_slurm_);
}

void SweepSession::write_start_manifest() {
  writer_.emplace(options_.out_dir, widest_);
  manifest_.grid_file = options_.grid_file;
  manifest_.grid = spec_.source;
  manifest_.devices = initial_devices(spec_.devices, folder_.devices);
  manifest_.threads = threads_;
  manifest_.workers = workers_;
  manifest_.batching = options_.batching;
  manifest_.max_cohort = max_cohort_;
  manifest_.started_at = folder_.started_at.empty() ? utc_now() : folder_.started_at;
  manifest_.resumed_at = folder_.started_at.empty() ? "" : utc_now();
  manifest_.runs_total = folder_runs_;
  manifest_.runs_finished = folder_.done.size();
  manifest_.executor = on_slurm_ ? "slurm" : "local";
  if (on_slurm_) manifest_.slurm = slurm_options_json(slurm_options_);
  manifest_.shard = shard_text_;
  write_manifest(options_.out_dir, manifest_);
}

void SweepSession::adopt_submissions() {
  // Jobs of earlier Slurm submissions first: they are running (or ran) already; what they finished is recorded,
  // what they lost runs again, and their runs are not planned twice.
  if (!slurm_) return;
  std::map<std::string, const RunSpec*> by_id;
  for (const auto& run : runs_) by_id[run.id] = &run;
  for (const auto& open : slurm_->open_jobs()) {
    JobFile read;
    try {
      read = read_job(open.job_file);
    } catch (const InputError& error) {
      // Its results could not be checked against it: not adopted, its runs are planned again.
      log_ << fmt::format("warning: {}: damaged ({}): its runs run again\n", open.job_file, error.what());
      continue;
    }
    Job job;
    job.cohort = read.cohort;
    for (const auto& item : read.runs) {
      const auto found = by_id.find(item.sent_id);
      if (found == by_id.end()) continue;  // not this grid's (cannot be: the folder holds this grid)
      job.runs.push_back(found->second);
      job.write.push_back(!folder_.done.count(item.sent_id) && !in_flight_.count(item.sent_id));
      job.keep_data.push_back(item.keep_data);
      job.cost += expected_cost(*found->second);
    }
    if (job.runs.size() != read.runs.size()) continue;
    for (const auto* run : job.runs) in_flight_.insert(run->id);
    slurm_->adopt(jobs_.size(), open);
    jobs_.push_back(std::move(job));
    origins_.push_back({open.handoff_dir, open.sweep});
  }
}

void SweepSession::plan() {
  adopted_ = next_job_ = jobs_.size();
  std::set<std::string> not_to_plan = folder_.done;
  not_to_plan.insert(in_flight_.begin(), in_flight_.end());
  for (const auto& run : runs_)
    if (!belongs(run)) not_to_plan.insert(run.id);
  for (auto& job :
       plan_jobs(runs_, not_to_plan, {options_.batching, static_cast<std::size_t>(max_cohort_), max_memory_})) {
    jobs_.push_back(std::move(job));
    origins_.push_back({handoff_dir_, sweep_id_});
  }
  progress_.emplace(log_, Progress::mode_for(options_.quiet, options_.terminal), folder_runs_, folder_.done.size(),
                    total_cost_ - done_cost_);
  for (std::size_t j = 0; j < adopted_; ++j)
    for (std::size_t i = 0; i < jobs_[j].runs.size(); ++i)
      if (jobs_[j].write[i] && announced_.insert(jobs_[j].runs[i]).second) progress_->started(*jobs_[j].runs[i]);
}

void SweepSession::record(const RunSpec& run, TrainResult result, std::int64_t process_rss, const Job& job) {
  result.process_peak_rss_bytes = process_rss;
  if (job.cohort) {
    result.cohort = job.runs.front()->id;
    result.cohort_size = static_cast<std::int64_t>(job.runs.size());
  }
  recorded_interrupted_ = recorded_interrupted_ || result.status == RunStatus::interrupted;
  // The manifest names each device as the first run on it reports it.
  auto& device = manifest_.devices[run.device];
  if (device == kDeviceNotUsedYet && !result.device_name.empty()) device = result.device_name;
  writer_->append(run, result);
  ++outcome_.ran;
  progress_->finished(run, result, expected_cost(run));
}

// A cohort that failed as a whole (its process crashed, ran out of memory or out of time) costs none of its runs:
// each runs again alone, in a process of its own. Work an earlier submission lost runs again as it was planned.
void SweepSession::collect(const JobEnd& end) {
  ended_jobs_.insert(end.id);
  const Job& job = jobs_.at(end.id);  // a job's executor id is its index in `jobs_`
  const JobOrigin& origin = origins_.at(end.id);
  const bool interrupted = interrupts() > 0;
  const bool resource_exit = end.lost.empty() && !end.status && WIFEXITED(end.wait_status) &&
                             WEXITSTATUS(end.wait_status) == kWorkerResourceExit;
  if (resource_exit && !resource_stop_) {
    resource_stop_ = true;
    const auto said = last_line_of(end.output);
    resource_failure_ = "a worker could not hand over its result: " +
                        (said.empty() ? std::string("the worker exited without saying why") : said);
    executor_->kill_all();
  }
  // With --retry-failed, a run of an earlier submission's job that has no result (its failure's row was dropped)
  // runs again rather than being recorded once more from its task's state.
  const bool earlier_origin = origin.sweep_id != sweep_id_;
  std::vector<std::string> read_files;
  std::string broken;  // set once a run of a shared stream has no result: the runs after it cannot run
  Job lost;            // the runs to run again (end.run_again)
  for (std::size_t i = 0; i < job.runs.size(); ++i) {
    const RunSpec& run = *job.runs[i];
    const auto file = result_path(origin.handoff_dir, run.id);
    TrainResult result;
    if (fs::exists(file)) {
      try {
        result = result_from_json(parse_json_file(file), origin.sweep_id, run.id);
      } catch (const std::exception& error) {  // HandoffError, or not JSON at all
        result = TrainResult{};
        result.status = RunStatus::crashed;
        result.error = fmt::format("the worker's result could not be read: {}", error.what());
      }
      read_files.push_back(file);  // removed once recorded: a kill before then must not lose it
    } else if (!job.write[i]) {
      continue;  // recorded already (an adopted job collected before): nothing to record, nothing to redo
    } else if (resource_stop_) {
      return;  // not recorded: a rerun, once the resource is back, runs it
    } else if ((end.run_again || (earlier_origin && options_.retry_failed)) && !interrupted) {
      lost.runs.push_back(&run);
      lost.write.push_back(true);
      lost.keep_data.push_back(job.keep_data[i]);
      lost.cost += expected_cost(run);
      continue;
    } else if (job.cohort && !interrupted && end.status != RunStatus::interrupted) {
      again_.push_back({{&run}, {true}, {job.keep_data[i]}, expected_cost(run), false});
      continue;
    } else if (broken.empty() || job.cohort) {
      result = failed_run(end, interrupted);
      broken = fmt::format("{} ({})", run.id, to_string(result.status));
    } else {
      result.status = interrupted ? RunStatus::interrupted : RunStatus::error;
      result.error = fmt::format("not run: run {} before it in its shared stream did not finish", broken);
    }
    if (job.cohort && result.status == RunStatus::oom && !interrupted) {
      again_.push_back({{&run}, {true}, {job.keep_data[i]}, expected_cost(run), false});
      continue;
    }
    if (job.write[i]) record(run, result, end.peak_rss_bytes, job);
  }
  for (const auto& file : read_files) fs::remove(file);
  if (lost.runs.empty()) return;
  if (!job.cohort && job.runs.size() > 1) {  // a shared stream is replayed from its start
    lost = job;
    for (std::size_t i = 0; i < job.runs.size(); ++i)
      lost.write[i] = job.write[i] && !fs::exists(result_path(origin.handoff_dir, job.runs[i]->id));
  }
  lost.cohort = job.cohort && lost.runs.size() > 1;
  again_.push_back(std::move(lost));
}

void SweepSession::tell_submissions() {
  if (!slurm_) return;
  const auto warning = slurm_->take_warning();
  if (!warning.empty()) log_ << warning << "\n" << std::flush;
  if (slurm_->tasks_submitted() == tasks_told_ || options_.quiet) return;
  tasks_told_ = slurm_->tasks_submitted();
  log_ << fmt::format("bsweep: submitted to Slurm as job array {} ({} tasks so far; scripts and logs in {})\n",
                      slurm_->job_ids(), tasks_told_, handoff_dir_)
       << std::flush;
}

// Writes the next job's file and starts it; false when it could not start (resource_stop_ says why).
bool SweepSession::start_next_job() {
  const Job& job = jobs_[next_job_];
  const std::string job_file = fmt::format("{}/job-{}.json", origins_[next_job_].handoff_dir, next_job_);
  std::vector<JobRun> job_runs;
  for (std::size_t i = 0; i < job.runs.size(); ++i) job_runs.push_back({*job.runs[i], job.runs[i]->id, job.keep_data[i]});
  write_atomically(job_file, make_job(sweep_id_, origins_[next_job_].handoff_dir, job_runs, job.cohort).dump());
  // A shared stream's job has each of its runs' time.
  try {
    executor_->start(next_job_, job_file, timeout_s_ * static_cast<double>(job.runs.size()), job.cost);
  } catch (const ResourceError& error) {
    // No process for it (fork refused, say): start nothing more, record what the running jobs finish, and
    // stop with the reason; this job and those after it stay unrecorded for a rerun.
    resource_stop_ = true;
    resource_failure_ = fmt::format("cannot start a job: {}", error.what());
    return false;
  }
  for (std::size_t i = 0; i < job.runs.size(); ++i)
    if (job.write[i] && announced_.insert(job.runs[i]).second) progress_->started(*job.runs[i]);
  ++next_job_;
  polled_since_start_ = false;
  return true;
}

void SweepSession::dispatch() {
  while (true) {
    if (interrupts() >= 2) {
      // The executor's end waits for its worker server, which reaps the killed workers: nothing outlives the exit.
      executor_->kill_all();
      executor_.reset();
      progress_->done();
      log_ << "bsweep: interrupted twice: stopped at once; every run recorded so far is kept\n" << std::flush;
      std::fflush(nullptr);
      std::_Exit(130);
    }
    if (interrupts() == 1 && !forwarded_) {
      executor_->interrupt_all();
      forwarded_ = true;
    }
    while (interrupts() == 0 && !resource_stop_ && executor_->running() < executor_->capacity() &&
           next_job_ < jobs_.size())
      if (!start_next_job()) break;
    // --no-wait: once every job is submitted (and what earlier submissions finished is recorded), let them go.
    if (slurm_ && !slurm_options_.wait && next_job_ == jobs_.size() && polled_since_start_ && again_.empty()) {
      executor_->detach();
      break;
    }
    if (executor_->running() == 0) break;
    for (const auto& end : executor_->poll(std::chrono::milliseconds(50))) collect(end);
    polled_since_start_ = true;
    tell_submissions();
    // Appended after collecting (collect holds references into `jobs_`): they run after the jobs planned before.
    for (auto& job : again_) {
      jobs_.push_back(std::move(job));
      origins_.push_back({handoff_dir_, sweep_id_});
    }
    again_.clear();
    progress_->tick();
  }
  progress_->done();
}

SweepOutcome SweepSession::finish() {
  if (resource_stop_) throw ResourceError(fmt::format("{} (runs recorded so far are kept)", resource_failure_));
  if (slurm_) slurm_->close_finished();  // every result reported has been recorded
  for (std::size_t j = 0; j < next_job_; ++j) {
    if (ended_jobs_.count(j)) continue;
    for (std::size_t i = 0; i < jobs_[j].runs.size(); ++i) outcome_.in_flight += jobs_[j].write[i];
  }
  if (slurm_) outcome_.slurm_jobs = slurm_->job_ids(true);
  // Jobs never started because of an interruption stay unrecorded: a rerun runs them.
  // A signal that came once every run had finished interrupted nothing.
  // A run recorded as interrupted (a Slurm task cancelled, say) makes the sweep an interrupted one too.
  outcome_.interrupted =
      recorded_interrupted_ || (interrupts() > 0 && (next_job_ < jobs_.size() || outcome_.in_flight > 0));
  count_folder(options_.out_dir, outcome_);
  manifest_.runs_finished = outcome_.recorded;
  manifest_.runs_failed = outcome_.failed;
  manifest_.cohorts = outcome_.cohorts;
  manifest_.finished_at = outcome_.interrupted || outcome_.recorded < outcome_.total ? "" : utc_now();
  write_manifest(options_.out_dir, manifest_);
  if (!options_.quiet || outcome_.failed > 0) print_summary();
  return outcome_;
}

void SweepSession::print_summary() {
  const SweepOutcome& o = outcome_;
  std::string counts = fmt::format("{} ok", o.ok);
  if (o.diverged) counts += fmt::format(", {} diverged", o.diverged);
  counts += fmt::format(", {} failed", o.failed);
  if (o.interrupted_runs) counts += fmt::format(", {} interrupted", o.interrupted_runs);
  if (o.in_flight) counts += fmt::format(", {} running in Slurm", o.in_flight);
  if (o.recorded + o.in_flight < o.total)
    counts += fmt::format(", {} not run yet", o.total - o.recorded - o.in_flight);
  log_ << fmt::format("{} runs{}: {} ({} ran now, {} already recorded){} -> {}\n", o.total,
                      shard_text_.empty() ? "" : " in shard " + shard_text_, counts, o.ran, o.skipped,
                      o.interrupted ? "; interrupted (rerun to resume)" : "", options_.out_dir);
  if (o.in_flight)
    log_ << fmt::format("bsweep: Slurm job {} goes on; `bsweep run {} -o {}` records what it finishes (and waits "
                        "for the rest unless --no-wait); `scancel {}` stops it\n",
                        o.slurm_jobs.empty() ? "(earlier)" : o.slurm_jobs, options_.grid_file, options_.out_dir,
                        o.slurm_jobs);
}

}  // namespace

SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  try {
    return SweepSession(spec, options, log).run();
  } catch (const fs::filesystem_error& error) {
    // The folder itself refused (no permission to look into it, say): the machine's answer, not a bug.
    throw ResourceError(fmt::format("cannot use the results folder {}: {}", options.out_dir, error.what()));
  }
}

}  // namespace bsweep
