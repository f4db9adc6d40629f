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

SweepOutcome sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const double timeout_s = options.timeout_s > 0 ? options.timeout_s : spec.timeout_s;
  const std::int64_t max_memory = options.max_memory > 0 ? options.max_memory : spec.max_memory;
  const std::int64_t max_cohort = options.max_cohort > 0 ? options.max_cohort
                                  : spec.max_cohort > 0  ? spec.max_cohort
                                                         : kDefaultMaxCohort;
  const EarlierSweep earlier = earlier_sweep(options.out_dir, spec);
  const bool on_slurm = options.slurm || (!options.local && !earlier.slurm.is_null());
  SlurmOptions slurm_options = options.slurm_options;
  if (on_slurm && !options.slurm) {
    slurm_options = slurm_options_from_json(earlier.slurm, "manifest.json: slurm");
    slurm_options.wait = options.slurm_options.wait;
    if (!options.quiet)
      log << "bsweep: this folder's sweep runs on Slurm: going on there (--local runs the rest here)\n";
  }
  // A Slurm task runs its jobs as one machine runs a sweep: one worker per CPU it was given, unless told.
  const int slots = on_slurm ? slurm_options.cpus_per_task : cores;
  const int workers = options.workers > 0 ? options.workers : slots;
  const int threads = options.threads > 0 ? options.threads : std::max(1, slots / workers);
  // Declared before the executor, so that it goes after the executor has stopped every worker.
  std::optional<HandoffFolder> handoff;
  // First: without its worker program (or its cluster) nothing can run, so nothing is written.
  std::unique_ptr<Executor> executor;
  SlurmExecutor* slurm = nullptr;
  if (on_slurm) {
    auto made = std::make_unique<SlurmExecutor>(SlurmExecutorOptions{
        slurm_options, options.out_dir, "bsweep-" + spec.name,
        TaskWorkers{workers, threads, max_memory, options.max_tensor_bytes}});
    slurm = made.get();
    executor = std::move(made);
  } else {
    executor = std::make_unique<LocalExecutor>(
        LocalOptions{static_cast<std::size_t>(workers), threads, max_memory, options.max_tensor_bytes});
  }
  const auto runs = expand(spec);
  // The runs this folder is for: the grid's, or its shard's (a shard past the grid's jobs is refused here, before
  // the folder is made).
  std::set<std::string> in_shard;
  if (options.shard.count > 0) in_shard = shard_runs(spec, runs, options.shard);
  const std::int64_t widest = widest_linear_task(spec);
  if (fs::exists(options.out_dir) && !fs::is_directory(options.out_dir))
    throw InputError(fmt::format("{}: exists and is not a folder", options.out_dir));
  const FolderLock lock(options.out_dir);  // held until the sweep returns or throws
  const std::string shard_text = options.shard.count > 0 ? options.shard.text() : "";
  if (earlier.shard != shard_text && fs::exists(fs::path(options.out_dir) / "runs.csv"))
    throw InputError(fmt::format("{}: holds {} of this grid, not {}; choose another folder with -o", options.out_dir,
                                 earlier.shard.empty() ? "the whole" : "shard " + earlier.shard,
                                 shard_text.empty() ? "the whole grid" : "shard " + shard_text));
  const FolderState folder = prepare_folder(spec, runs, options, widest);
  const auto& done = folder.done;
  if (!on_slurm) {
    const auto open = open_submissions(options.out_dir);
    if (!open.empty())
      throw InputError(fmt::format("{}: {} Slurm submission(s) of this folder are not collected yet ({}): run `bsweep "
                                   "run {} -o {}` (without --local) to collect them, or, to forget them, scancel their "
                                   "jobs and remove those folders",
                                   options.out_dir, open.size(), open.front(), options.grid_file, options.out_dir));
  }
  auto belongs = [&](const RunSpec& run) { return options.shard.count == 0 || in_shard.count(run.id) > 0; };
  std::size_t folder_runs = 0;
  double total_cost = 0, done_cost = 0;
  for (const auto& run : runs) {
    if (!belongs(run)) continue;
    ++folder_runs;
    total_cost += expected_cost(run);
    if (done.count(run.id)) done_cost += expected_cost(run);
  }

  SweepOutcome outcome;
  outcome.total = folder_runs;
  outcome.skipped = done.size();
  if (!options.quiet) {
    for (const auto& warning : batch_size_warnings(runs)) log << warning << "\n";
    if (!on_slurm && workers * threads > cores)
      log << fmt::format("warning: {} workers × {} threads on {} cores: runs compete for the cores, so their time "
                         "columns read slower than on an idle machine\n",
                         workers, threads, cores);
  }

  // Result files of earlier invocations (a killed sweep's, an orphaned worker's) are never adopted: the
  // hand-off folder is this invocation's own, and each file names the invocation it was written for. (A Slurm
  // submission's folder is the exception: its jobs are adopted below, by name.)
  const std::string sweep_id = new_sweep_id();
  const std::string pending = on_slurm ? fs::absolute(options.out_dir).string() + "/slurm" : options.out_dir + "/.pending";
  std::error_code ignored;
  if (!on_slurm) fs::remove_all(pending, ignored);
  const std::string handoff_dir = pending + "/" + sweep_id;
  std::error_code created;
  fs::create_directories(handoff_dir, created);
  if (created)
    throw ResourceError(fmt::format("cannot create {}: {}", handoff_dir, created.message()));
  handoff.emplace(handoff_dir, on_slurm);

  ResultsWriter writer(options.out_dir, widest);
  ManifestInfo manifest;
  manifest.grid_file = options.grid_file;
  manifest.grid = spec.source;
  manifest.devices = initial_devices(spec.devices, folder.devices);
  manifest.threads = threads;
  manifest.workers = workers;
  manifest.batching = options.batching;
  manifest.max_cohort = max_cohort;
  manifest.started_at = folder.started_at.empty() ? utc_now() : folder.started_at;
  manifest.resumed_at = folder.started_at.empty() ? "" : utc_now();
  manifest.runs_total = folder_runs;
  manifest.runs_finished = done.size();
  manifest.executor = on_slurm ? "slurm" : "local";
  if (on_slurm) manifest.slurm = slurm_options_json(slurm_options);
  manifest.shard = shard_text;
  write_manifest(options.out_dir, manifest);

  // Jobs of earlier Slurm submissions first: they are running (or ran) already; what they finished is recorded,
  // what they lost runs again, and their runs are not planned twice.
  std::vector<Job> jobs;
  std::vector<JobOrigin> origins;  // of each job, by index
  std::set<std::string> in_flight;
  if (slurm) {
    std::map<std::string, const RunSpec*> by_id;
    for (const auto& run : runs) by_id[run.id] = &run;
    for (const auto& open : slurm->open_jobs()) {
      JobFile read;
      try {
        read = read_job(open.job_file);
      } catch (const InputError& error) {
        // Its results could not be checked against it: not adopted, its runs are planned again.
        log << fmt::format("warning: {}: damaged ({}): its runs run again\n", open.job_file, error.what());
        continue;
      }
      Job job;
      job.cohort = read.cohort;
      for (const auto& item : read.runs) {
        const auto found = by_id.find(item.sent_id);
        if (found == by_id.end()) continue;  // not this grid's (cannot be: the folder holds this grid)
        job.runs.push_back(found->second);
        job.write.push_back(!done.count(item.sent_id) && !in_flight.count(item.sent_id));
        job.keep_data.push_back(item.keep_data);
        job.cost += expected_cost(*found->second);
      }
      if (job.runs.size() != read.runs.size()) continue;
      for (const auto* run : job.runs) in_flight.insert(run->id);
      slurm->adopt(jobs.size(), open);
      jobs.push_back(std::move(job));
      origins.push_back({open.handoff_dir, open.sweep});
    }
  }
  const std::size_t adopted = jobs.size();
  std::set<std::string> not_to_plan = done;
  not_to_plan.insert(in_flight.begin(), in_flight.end());
  for (const auto& run : runs)
    if (!belongs(run)) not_to_plan.insert(run.id);
  for (auto& job : plan_jobs(runs, not_to_plan, {options.batching, static_cast<std::size_t>(max_cohort), max_memory})) {
    jobs.push_back(std::move(job));
    origins.push_back({handoff_dir, sweep_id});
  }
  Progress progress(log, Progress::mode_for(options.quiet, options.terminal), folder_runs, done.size(),
                    total_cost - done_cost);

  const InterruptGuard guard;  // Ctrl-C and SIGTERM are counted (interrupts()) while the sweep runs
  std::size_t next_job = adopted;
  std::set<std::size_t> ended_jobs;
  std::set<const RunSpec*> announced;  // to the progress display (a cohort's runs again alone are not new)
  for (std::size_t j = 0; j < adopted; ++j)
    for (std::size_t i = 0; i < jobs[j].runs.size(); ++i)
      if (jobs[j].write[i] && announced.insert(jobs[j].runs[i]).second) progress.started(*jobs[j].runs[i]);
  bool forwarded = false;
  // Set when a worker could not hand over its result for want of a resource: the sweep stops, its other
  // workers are killed, and runs without a result stay unrecorded (a rerun runs them).
  bool resource_stop = false;
  std::string resource_failure;

  bool recorded_interrupted = false;
  auto record = [&](const RunSpec& run, TrainResult result, std::int64_t process_rss, const Job& job) {
    result.process_peak_rss_bytes = process_rss;
    if (job.cohort) {
      result.cohort = job.runs.front()->id;
      result.cohort_size = static_cast<std::int64_t>(job.runs.size());
    }
    recorded_interrupted = recorded_interrupted || result.status == RunStatus::interrupted;
    // The manifest names each device as the first run on it reports it.
    auto& device = manifest.devices[run.device];
    if (device == kDeviceNotUsedYet && !result.device_name.empty()) device = result.device_name;
    writer.append(run, result);
    ++outcome.ran;
    progress.finished(run, result, expected_cost(run));
  };

  // A cohort that failed as a whole (its process crashed, ran out of memory or out of time) costs none of its runs:
  // each runs again alone, in a process of its own. Work an earlier submission lost runs again as it was planned.
  std::vector<Job> again;
  auto collect = [&](const JobEnd& end) {
    ended_jobs.insert(end.id);
    const Job& job = jobs.at(end.id);  // a job's executor id is its index in `jobs`
    const JobOrigin& origin = origins.at(end.id);
    const bool interrupted = interrupts() > 0;
    const bool resource_exit = end.lost.empty() && !end.status && WIFEXITED(end.wait_status) &&
                               WEXITSTATUS(end.wait_status) == kWorkerResourceExit;
    if (resource_exit && !resource_stop) {
      resource_stop = true;
      const auto said = last_line_of(end.output);
      resource_failure = "a worker could not hand over its result: " +
                         (said.empty() ? std::string("the worker exited without saying why") : said);
      executor->kill_all();
    }
    // With --retry-failed, a run of an earlier submission's job that has no result (its failure's row was dropped)
    // runs again rather than being recorded once more from its task's state.
    const bool earlier_origin = origin.sweep_id != sweep_id;
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
      } else if (resource_stop) {
        return;  // not recorded: a rerun, once the resource is back, runs it
      } else if ((end.run_again || (earlier_origin && options.retry_failed)) && !interrupted) {
        lost.runs.push_back(&run);
        lost.write.push_back(true);
        lost.keep_data.push_back(job.keep_data[i]);
        lost.cost += expected_cost(run);
        continue;
      } else if (job.cohort && !interrupted && end.status != RunStatus::interrupted) {
        again.push_back({{&run}, {true}, {job.keep_data[i]}, expected_cost(run), false});
        continue;
      } else if (broken.empty() || job.cohort) {
        result = failed_run(end, interrupted);
        broken = fmt::format("{} ({})", run.id, to_string(result.status));
      } else {
        result.status = interrupted ? RunStatus::interrupted : RunStatus::error;
        result.error = fmt::format("not run: run {} before it in its shared stream did not finish", broken);
      }
      if (job.cohort && result.status == RunStatus::oom && !interrupted) {
        again.push_back({{&run}, {true}, {job.keep_data[i]}, expected_cost(run), false});
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
    again.push_back(std::move(lost));
  };

  std::size_t tasks_told = 0;
  auto tell_submissions = [&] {
    if (!slurm) return;
    const auto warning = slurm->take_warning();
    if (!warning.empty()) log << warning << "\n" << std::flush;
    if (slurm->tasks_submitted() == tasks_told || options.quiet) return;
    tasks_told = slurm->tasks_submitted();
    log << fmt::format("bsweep: submitted to Slurm as job array {} ({} tasks so far; scripts and logs in {})\n",
                       slurm->job_ids(), tasks_told, handoff_dir)
        << std::flush;
  };
  bool polled_since_start = false;
  while (true) {
    if (interrupts() >= 2) {
      // The executor's end waits for its worker server, which reaps the killed workers: nothing outlives the exit.
      executor->kill_all();
      executor.reset();
      progress.done();
      log << "bsweep: interrupted twice: stopped at once; every run recorded so far is kept\n" << std::flush;
      std::fflush(nullptr);
      std::_Exit(130);
    }
    if (interrupts() == 1 && !forwarded) {
      executor->interrupt_all();
      forwarded = true;
    }
    while (interrupts() == 0 && !resource_stop && executor->running() < executor->capacity() &&
           next_job < jobs.size()) {
      const Job& job = jobs[next_job];
      const std::string job_file = fmt::format("{}/job-{}.json", origins[next_job].handoff_dir, next_job);
      std::vector<JobRun> job_runs;
      for (std::size_t i = 0; i < job.runs.size(); ++i)
        job_runs.push_back({*job.runs[i], job.runs[i]->id, job.keep_data[i]});
      write_atomically(job_file, make_job(sweep_id, origins[next_job].handoff_dir, job_runs, job.cohort).dump());
      // A shared stream's job has each of its runs' time.
      try {
        executor->start(next_job, job_file, timeout_s * static_cast<double>(job.runs.size()), job.cost);
      } catch (const ResourceError& error) {
        // No process for it (fork refused, say): start nothing more, record what the running jobs finish, and
        // stop with the reason; this job and those after it stay unrecorded for a rerun.
        resource_stop = true;
        resource_failure = fmt::format("cannot start a job: {}", error.what());
        break;
      }
      for (std::size_t i = 0; i < job.runs.size(); ++i)
        if (job.write[i] && announced.insert(job.runs[i]).second) progress.started(*job.runs[i]);
      ++next_job;
      polled_since_start = false;
    }
    // --no-wait: once every job is submitted (and what earlier submissions finished is recorded), let them go.
    if (slurm && !slurm_options.wait && next_job == jobs.size() && polled_since_start && again.empty()) {
      executor->detach();
      break;
    }
    if (executor->running() == 0) break;
    for (const auto& end : executor->poll(std::chrono::milliseconds(50))) collect(end);
    polled_since_start = true;
    tell_submissions();
    // Appended after collecting (collect holds references into `jobs`): they run after the jobs planned before.
    for (auto& job : again) {
      jobs.push_back(std::move(job));
      origins.push_back({handoff_dir, sweep_id});
    }
    again.clear();
    progress.tick();
  }
  progress.done();
  if (resource_stop)
    throw ResourceError(fmt::format("{} (runs recorded so far are kept)", resource_failure));
  if (slurm) slurm->close_finished();  // every result reported has been recorded

  for (std::size_t j = 0; j < next_job; ++j) {
    if (ended_jobs.count(j)) continue;
    for (std::size_t i = 0; i < jobs[j].runs.size(); ++i) outcome.in_flight += jobs[j].write[i];
  }
  if (slurm) outcome.slurm_jobs = slurm->job_ids(true);
  // Jobs never started because of an interruption stay unrecorded: a rerun runs them.
  // A signal that came once every run had finished interrupted nothing.
  // A run recorded as interrupted (a Slurm task cancelled, say) makes the sweep an interrupted one too.
  outcome.interrupted =
      recorded_interrupted || (interrupts() > 0 && (next_job < jobs.size() || outcome.in_flight > 0));
  count_folder(options.out_dir, outcome);
  manifest.runs_finished = outcome.recorded;
  manifest.runs_failed = outcome.failed;
  manifest.cohorts = outcome.cohorts;
  manifest.finished_at = outcome.interrupted || outcome.recorded < outcome.total ? "" : utc_now();
  write_manifest(options.out_dir, manifest);
  if (!options.quiet || outcome.failed > 0) {
    std::string counts = fmt::format("{} ok", outcome.ok);
    if (outcome.diverged) counts += fmt::format(", {} diverged", outcome.diverged);
    counts += fmt::format(", {} failed", outcome.failed);
    if (outcome.interrupted_runs) counts += fmt::format(", {} interrupted", outcome.interrupted_runs);
    if (outcome.in_flight) counts += fmt::format(", {} running in Slurm", outcome.in_flight);
    if (outcome.recorded + outcome.in_flight < outcome.total)
      counts += fmt::format(", {} not run yet", outcome.total - outcome.recorded - outcome.in_flight);
    log << fmt::format("{} runs{}: {} ({} ran now, {} already recorded){} -> {}\n", outcome.total,
                       shard_text.empty() ? "" : " in shard " + shard_text, counts, outcome.ran, outcome.skipped,
                       outcome.interrupted ? "; interrupted (rerun to resume)" : "", options.out_dir);
    if (outcome.in_flight)
      log << fmt::format("bsweep: Slurm job {} goes on; `bsweep run {} -o {}` records what it finishes (and waits "
                         "for the rest unless --no-wait); `scancel {}` stops it\n",
                         outcome.slurm_jobs.empty() ? "(earlier)" : outcome.slurm_jobs, options.grid_file,
                         options.out_dir, outcome.slurm_jobs);
  }
  return outcome;
}

}  // namespace

SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  try {
    return sweep(spec, options, log);
  } catch (const fs::filesystem_error& error) {
    // The folder itself refused (no permission to look into it, say): the machine's answer, not a bug.
    throw ResourceError(fmt::format("cannot use the results folder {}: {}", options.out_dir, error.what()));
  }
}

}  // namespace bsweep
