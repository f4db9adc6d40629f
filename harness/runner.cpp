#include "runner.h"

#include "batches.h"
#include "grid.h"
#include "job_file.h"
#include "json_path.h"
#include "progress.h"
#include "results/csv.h"
#include "results/folder_lock.h"
#include "results/manifest.h"
#include "results/result_json.h"
#include "results/schema.h"
#include "results/writer.h"
#include "run_result.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

const char* const kResultFiles[] = {"runs.csv", "curves.csv", "weights.csv", "data.csv", "manifest.json"};
// The files with a row per run (or several), keyed by run_id in their first column.
const char* const kRunRowFiles[] = {"runs.csv", "curves.csv", "weights.csv", "data.csv"};

volatile std::sig_atomic_t g_interrupts = 0;
void on_interrupt(int) { g_interrupts = g_interrupts + 1; }

// Installs the SIGINT/SIGTERM handlers for the sweep's duration.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupts = 0;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

std::int64_t widest_linear_task(const SweepSpec& spec) {
  std::int64_t widest = 0;
  for (const auto& task : spec.tasks)
    widest = std::max(widest, task.linear_features());
  return widest;
}

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

// Every results file present must have this version's columns for this grid; checked before any is read.
void check_headers(const fs::path& dir, std::int64_t widest) {
  const std::pair<const char*, std::vector<std::string>> files[] = {{"runs.csv", runs_header(widest)},
                                                                    {"curves.csv", curves_header(widest)},
                                                                    {"weights.csv", header_of(weight_columns())},
                                                                    {"data.csv", header_of(data_columns())}};
  for (const auto& [name, expected] : files) {
    if (!fs::exists(dir / name)) continue;
    const auto header = read_csv((dir / name).string()).header;
    if (header == expected) continue;
    std::string missing;
    for (const auto& column : expected)
      if (std::find(header.begin(), header.end(), column) == header.end()) missing += (missing.empty() ? "" : ", ") + column;
    throw InputError(fmt::format("{}: its columns differ from what this version writes for this grid{}; write to "
                                 "a new folder with -o",
                                 (dir / name).string(), missing.empty() ? "" : " (missing: " + missing + ")"));
  }
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
    return state;
  }
  // Only now that the folder is known to be this grid's: cut a partial last row (a power loss) off its files.
  for (const char* name : kRunRowFiles)
    if (fs::exists(dir / name)) repair_torn_tail((dir / name).string());
  check_headers(dir, widest);
  if (!fs::exists(dir / "runs.csv")) return state;
  const auto table = read_csv((dir / "runs.csv").string());
  const auto status_at = *find_column(table, "status");  // check_headers made sure it is there
  for (const auto& row : table.rows) {
    const auto& status = row.at(status_at);
    if (status == "interrupted" || (options.retry_failed && is_failure(status))) continue;
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
  for (const auto& row : table.rows) {
    const auto& status = row.at(status_at);
    outcome.ok += status == "ok";
    outcome.diverged += status == "diverged";
    outcome.interrupted_runs += status == "interrupted";
    outcome.failed += is_failure(status);
  }
}

// A job: the runs one worker process trains, in order. Runs already recorded are trained again (a shared
// stream is replayed from its start) but not written again.
struct Job {
  std::vector<const RunSpec*> runs;
  std::vector<bool> write;
  std::vector<bool> keep_data;
  double cost = 0;
};

// Expected cost of a run, to start the longest first and to estimate time left:
// steps x (batch + 16) x the task's cost per sample.
double expected_cost(const RunSpec& run) {
  const auto plan = plan_batches(run);
  return static_cast<double>(total_iterations(plan, run.budget)) * static_cast<double>(plan.batch_size + 16) *
         run.task.sample_cost();
}

// The runs that hand back their training set for the plots (data.csv): of a task whose data lies in the plane,
// the first run of each generator and seed (all of them draw the same data first).
std::set<std::string> data_carriers(const std::vector<RunSpec>& runs) {
  std::set<std::string> carriers, seen;
  for (const auto& run : runs)
    if (run.task.data_in_plane() && seen.insert(run.task.name + "/" + run.generator + "/" + std::to_string(run.seed)).second)
      carriers.insert(run.id);
  return carriers;
}

std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done) {
  const auto carriers = data_carriers(runs);
  std::vector<Job> jobs;
  std::map<std::string, std::size_t> stream_job;
  std::set<std::string> streams_with_work;
  for (const auto& run : runs)
    if (run.shared_stream && !done.count(run.id)) streams_with_work.insert(stream_key(run));
  for (const auto& run : runs) {
    const bool missing = !done.count(run.id);
    if (!run.shared_stream) {
      if (missing) jobs.push_back({{&run}, {true}, {carriers.count(run.id) > 0}, expected_cost(run)});
      continue;
    }
    if (!streams_with_work.count(stream_key(run))) continue;
    auto [found, inserted] = stream_job.emplace(stream_key(run), jobs.size());
    if (inserted) jobs.emplace_back();
    auto& job = jobs[found->second];
    job.runs.push_back(&run);
    job.write.push_back(missing);
    job.keep_data.push_back(carriers.count(run.id) > 0);
    job.cost += expected_cost(run);
  }
  // Longest first; equal costs keep grid order.
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.cost > b.cost; });
  return jobs;
}

struct Child {
  pid_t pid = 0;
  Job job;
  std::chrono::steady_clock::time_point started;
  bool timed_out = false;
  int output_fd = -1;  // the read end of the worker's stdout and stderr
  std::string output;  // what it printed, its last kOutputTail bytes
};

constexpr std::size_t kOutputTail = 4096;

std::string self_executable() { return fs::read_symlink("/proc/self/exe").string(); }

// The training program, bsweep-worker, next to this one: opened once per sweep, so that every worker runs the
// same file even if a rebuild replaces it during the sweep.
class WorkerProgram {
 public:
  WorkerProgram() : path_((fs::path(self_executable()).parent_path() / "bsweep-worker").string()) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      throw ResourceError(fmt::format("cannot open the training program {}: {} (it is built with bsweep: run "
                                      "tools/setup.sh)",
                                      path_, std::strerror(errno)));
  }
  ~WorkerProgram() { ::close(fd_); }
  WorkerProgram(const WorkerProgram&) = delete;
  WorkerProgram& operator=(const WorkerProgram&) = delete;
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// A random 64-bit name for this invocation: the result files it accepts carry it.
std::string new_sweep_id() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

// Starts a worker on `job_file`. Its output goes to a pipe the parent reads (no file: a full disk must not
// hide why a worker failed), and it is killed when the parent dies, however the parent dies.
void launch(Child& child, const WorkerProgram& program, const std::string& job_file, int threads,
            std::int64_t max_memory) {
  std::vector<std::string> args = {program.path(), job_file, "--threads", std::to_string(threads)};
  if (max_memory > 0) {
    args.push_back("--max-memory");
    args.push_back(std::to_string(max_memory));
  }
  std::vector<char*> argv;  // built before fork: the child only calls what is safe between fork and exec
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw ResourceError(fmt::format("cannot start a worker: {}", std::strerror(errno)));
  // SIGINT and SIGTERM wait until the child has its default handlers back: one that came between fork and exec
  // would otherwise run this process's handler in the child and be lost.
  sigset_t stop_signals, before;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &stop_signals, &before);
  const pid_t parent = ::getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // The child: die with the parent (the check closes the race with a parent that died before prctl).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(1);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    // The file opened at the sweep's start, even if it was replaced or removed since (a rebuild during a sweep).
    ::fexecve(program.fd(), argv.data(), environ);
    const char* why = std::strerror(errno);
    const char prefix[] = "bsweep: cannot start the worker: ";
    if (::write(STDERR_FILENO, prefix, sizeof prefix - 1) < 0 || ::write(STDERR_FILENO, why, std::strlen(why)) < 0) {}
    _exit(127);
  }
  const int fork_error = errno;
  ::sigprocmask(SIG_SETMASK, &before, nullptr);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw ResourceError(fmt::format("cannot start a worker: {}", std::strerror(fork_error)));
  }
  ::close(pipe_fds[1]);
  ::fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  child.pid = pid;
  child.output_fd = pipe_fds[0];
}

// Reads what the worker printed so far, keeping the tail.
void drain(Child& child) {
  char buffer[4096];
  while (child.output_fd >= 0) {
    const auto got = ::read(child.output_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    child.output.append(buffer, static_cast<std::size_t>(got));
    if (child.output.size() > 2 * kOutputTail) child.output.erase(0, child.output.size() - kOutputTail);
  }
}

std::string last_line_of(const std::string& text) {
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ')) --end;
  const auto start = text.rfind('\n', end == 0 ? 0 : end - 1);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1));
}

// What happened to a run that left no result: the worker's exit tells.
TrainResult failed_run(const Child& child, int wait_status, bool interrupted) {
  TrainResult result;
  if (child.timed_out) {
    result.status = "timeout";
    result.error = "the run took longer than its time limit and was stopped";
  } else if (interrupted) {
    result.status = "interrupted";
    result.error = "the sweep was interrupted";
  } else if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    result.status = "crashed";
    result.error = fmt::format("killed by signal {} ({}: {})", signal, sigabbrev_np(signal) ? sigabbrev_np(signal) : "?",
                               strsignal(signal));
  } else {
    result.status = "crashed";
    result.error = fmt::format("the worker exited with status {} without a result", WEXITSTATUS(wait_status));
  }
  const auto said = last_line_of(child.output);
  if (!said.empty() && result.status == "crashed") result.error += ": " + said;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - child.started).count();
  return result;
}

// The running workers and this invocation's hand-off folder. On every way out of run_sweep (an exception
// included) the workers still running are killed and reaped and the folder removed.
class Workers {
 public:
  explicit Workers(std::string handoff_dir) : handoff_dir_(std::move(handoff_dir)) {}
  ~Workers() {
    for (auto& child : running) {
      ::kill(child.pid, SIGKILL);
      ::waitpid(child.pid, nullptr, 0);
      if (child.output_fd >= 0) ::close(child.output_fd);
    }
    std::error_code ignored;
    fs::remove_all(handoff_dir_, ignored);
    fs::remove(fs::path(handoff_dir_).parent_path(), ignored);  // .pending, when empty
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  std::vector<Child> running;

 private:
  std::string handoff_dir_;
};

}  // namespace

std::string default_results_dir(const SweepSpec& spec) { return "results/" + spec.name; }

namespace {

SweepOutcome sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  const WorkerProgram program;  // first: without it nothing can run, so nothing is written
  const auto runs = expand(spec);
  const std::int64_t widest = widest_linear_task(spec);
  if (fs::exists(options.out_dir) && !fs::is_directory(options.out_dir))
    throw InputError(fmt::format("{}: exists and is not a folder", options.out_dir));
  const FolderLock lock(options.out_dir);  // held until the sweep returns or throws
  const FolderState folder = prepare_folder(spec, runs, options, widest);
  const auto& done = folder.done;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = options.workers > 0 ? options.workers : cores;
  const int threads = options.threads > 0 ? options.threads : std::max(1, cores / workers);
  const double timeout_s = options.timeout_s > 0 ? options.timeout_s : spec.timeout_s;
  const std::int64_t max_memory = options.max_memory > 0 ? options.max_memory : spec.max_memory;

  SweepOutcome outcome;
  outcome.total = runs.size();
  outcome.skipped = done.size();
  if (!options.quiet) {
    for (const auto& warning : batch_size_warnings(runs)) log << warning << "\n";
    if (workers * threads > cores)
      log << fmt::format("warning: {} workers × {} threads on {} cores: runs compete for the cores, so their time "
                         "columns read slower than on an idle machine\n",
                         workers, threads, cores);
  }

  // Result files of earlier invocations (a killed sweep's, an orphaned worker's) are never adopted: the
  // hand-off folder is this invocation's own, and each file names the invocation it was written for.
  const std::string sweep_id = new_sweep_id();
  const std::string pending = options.out_dir + "/.pending";
  std::error_code ignored;
  fs::remove_all(pending, ignored);
  const std::string handoff_dir = pending + "/" + sweep_id;
  std::error_code created;
  fs::create_directories(handoff_dir, created);
  if (created)
    throw ResourceError(fmt::format("cannot create {}: {}", handoff_dir, created.message()));
  Workers workers_running(handoff_dir);
  auto& running = workers_running.running;

  ResultsWriter writer(options.out_dir, widest);
  ManifestInfo manifest;
  manifest.grid_file = options.grid_file;
  manifest.grid = spec.source;
  manifest.devices = initial_devices(spec.devices, folder.devices);
  manifest.threads = threads;
  manifest.workers = workers;
  manifest.started_at = folder.started_at.empty() ? utc_now() : folder.started_at;
  manifest.resumed_at = folder.started_at.empty() ? "" : utc_now();
  manifest.runs_total = runs.size();
  manifest.runs_finished = done.size();
  write_manifest(options.out_dir, manifest);

  auto jobs = plan_jobs(runs, done);
  double total_cost = 0;
  for (const auto& run : runs) total_cost += expected_cost(run);
  double done_cost = 0;
  for (const auto& run : runs)
    if (done.count(run.id)) done_cost += expected_cost(run);
  Progress progress(log, Progress::mode_for(options.quiet, options.terminal), runs.size(), done.size(),
                    total_cost - done_cost);

  InterruptGuard interrupts;
  std::size_t next_job = 0;
  bool forwarded = false;
  // Set when a worker could not hand over its result for want of a resource: the sweep stops, its other
  // workers are killed, and runs without a result stay unrecorded (a rerun runs them).
  bool resource_stop = false;
  std::string resource_failure;

  bool recorded_interrupted = false;
  auto record = [&](const RunSpec& run, TrainResult result, std::int64_t process_rss) {
    result.process_peak_rss_bytes = process_rss;
    recorded_interrupted = recorded_interrupted || result.status == "interrupted";
    // The manifest names each device as the first run on it reports it.
    auto& device = manifest.devices[run.device];
    if (device == kDeviceNotUsedYet && !result.device_name.empty()) device = result.device_name;
    writer.append(run, result);
    ++outcome.ran;
    progress.finished(run, result, expected_cost(run));
  };

  auto collect = [&](Child& child, int wait_status, const rusage& usage) {
    drain(child);
    ::close(child.output_fd);
    child.output_fd = -1;
    const bool interrupted = g_interrupts > 0;
    const bool resource_exit = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == kWorkerResourceExit;
    if (resource_exit && !resource_stop) {
      resource_stop = true;
      resource_failure = last_line_of(child.output);
      if (resource_failure.empty()) resource_failure = "the worker exited without saying why";
      for (auto& other : running) ::kill(other.pid, SIGKILL);
    }
    const std::int64_t process_rss = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
    std::string broken;  // set once a run of a shared stream has no result: the runs after it cannot run
    for (std::size_t i = 0; i < child.job.runs.size(); ++i) {
      const RunSpec& run = *child.job.runs[i];
      const auto file = result_path(handoff_dir, run.id);
      TrainResult result;
      if (fs::exists(file)) {
        try {
          result = result_from_json(parse_json_file(file), sweep_id, run.id);
        } catch (const std::exception& error) {  // HandoffError, or not JSON at all
          result = TrainResult{};
          result.status = "crashed";
          result.error = fmt::format("the worker's result could not be read: {}", error.what());
        }
        fs::remove(file);
      } else if (resource_stop) {
        return;  // not recorded: a rerun, once the resource is back, runs it
      } else if (broken.empty()) {
        result = failed_run(child, wait_status, interrupted);
        broken = fmt::format("{} ({})", run.id, result.status);
      } else {
        result.status = interrupted ? "interrupted" : "error";
        result.error = fmt::format("not run: run {} before it in its shared stream did not finish", broken);
      }
      if (child.job.write[i]) record(run, result, process_rss);
    }
  };

  while (true) {
    if (g_interrupts >= 2) {
      for (auto& child : running) kill(child.pid, SIGKILL);
      progress.done();
      log << "bsweep: interrupted twice: stopped at once; every run recorded so far is kept\n" << std::flush;
      std::fflush(nullptr);
      std::_Exit(130);
    }
    if (g_interrupts == 1 && !forwarded) {
      for (auto& child : running) kill(child.pid, SIGTERM);
      forwarded = true;
    }
    while (g_interrupts == 0 && !resource_stop && running.size() < static_cast<std::size_t>(workers) &&
           next_job < jobs.size()) {
      Child child;
      child.job = jobs[next_job];
      const std::string job_file = fmt::format("{}/job-{}.json", handoff_dir, next_job);
      ++next_job;
      std::vector<JobRun> job_runs;
      for (std::size_t i = 0; i < child.job.runs.size(); ++i)
        job_runs.push_back({*child.job.runs[i], child.job.runs[i]->id, child.job.keep_data[i]});
      write_atomically(job_file, make_job(sweep_id, handoff_dir, job_runs).dump());
      child.started = std::chrono::steady_clock::now();
      launch(child, program, job_file, threads, max_memory);
      for (std::size_t i = 0; i < child.job.runs.size(); ++i)
        if (child.job.write[i]) progress.started(*child.job.runs[i]);
      running.push_back(std::move(child));
    }
    if (running.empty()) break;

    int wait_status = 0;
    rusage usage{};
    const pid_t pid = wait4(-1, &wait_status, WNOHANG, &usage);
    if (pid > 0) {
      auto found = std::find_if(running.begin(), running.end(), [pid](const Child& c) { return c.pid == pid; });
      if (found != running.end()) {
        Child child = std::move(*found);
        running.erase(found);
        collect(child, wait_status, usage);
      }
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    for (auto& child : running) {
      drain(child);
      const double limit = timeout_s * static_cast<double>(child.job.runs.size());
      if (timeout_s > 0 && !child.timed_out && std::chrono::duration<double>(now - child.started).count() > limit) {
        child.timed_out = true;
        kill(child.pid, SIGKILL);
      }
    }
    progress.tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  progress.done();
  if (resource_stop)
    throw ResourceError(fmt::format("a worker could not hand over its result: {} (runs recorded so far are kept)",
                                    resource_failure));

  // Jobs never started because of an interruption stay unrecorded: a rerun runs them.
  // A signal that came once every run had finished interrupted nothing.
  outcome.interrupted = g_interrupts > 0 && (recorded_interrupted || next_job < jobs.size());
  count_folder(options.out_dir, outcome);
  manifest.runs_finished = outcome.recorded;
  manifest.runs_failed = outcome.failed;
  manifest.finished_at = outcome.interrupted || outcome.recorded < outcome.total ? "" : utc_now();
  write_manifest(options.out_dir, manifest);
  if (!options.quiet || outcome.failed > 0) {
    std::string counts = fmt::format("{} ok", outcome.ok);
    if (outcome.diverged) counts += fmt::format(", {} diverged", outcome.diverged);
    counts += fmt::format(", {} failed", outcome.failed);
    if (outcome.interrupted_runs) counts += fmt::format(", {} interrupted", outcome.interrupted_runs);
    if (outcome.recorded < outcome.total) counts += fmt::format(", {} not run yet", outcome.total - outcome.recorded);
    log << fmt::format("{} runs: {} ({} ran now, {} already recorded){} -> {}\n", outcome.total, counts,
                       outcome.ran, outcome.skipped, outcome.interrupted ? "; interrupted (rerun to resume)" : "",
                       options.out_dir);
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
