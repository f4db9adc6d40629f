#include "runner.h"

#include "grid.h"
#include "json_path.h"
#include "progress.h"
#include "results/csv.h"
#include "results/manifest.h"
#include "results/result_json.h"
#include "results/schema.h"
#include "results/writer.h"
#include "tasks/registry.h"
#include "train.h"
#include "worker.h"

#include <fmt/format.h>

#include <fcntl.h>
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
#include <set>
#include <thread>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

const char* const kResultFiles[] = {"runs.csv", "curves.csv", "weights.csv", "manifest.json"};

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
    if (task.type != "mlp") widest = std::max(widest, task.params.at("features").get<std::int64_t>());
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

// Checks that the folder holds this grid, repairs torn tails, drops the rows of runs to run again (interrupted,
// failed with --retry-failed, and rows of runs that have no runs.csv row), and returns the runs that stay.
std::set<std::string> prepare_folder(const SweepSpec& spec, const RunnerOptions& options) {
  const fs::path dir(options.out_dir);
  std::set<std::string> done;
  if (!fs::exists(dir)) return done;
  if (!fs::is_directory(dir)) throw InputError(fmt::format("{}: exists and is not a folder", options.out_dir));
  if (!fs::exists(dir / "runs.csv") && !fs::exists(dir / "manifest.json")) return done;
  bool same_grid = false;
  if (fs::exists(dir / "manifest.json")) {
    const auto manifest = parse_json_file((dir / "manifest.json").string());
    same_grid = manifest.contains("grid") && manifest["grid"] == spec.source;
  }
  if (!same_grid) {
    if (!options.force)
      throw InputError(fmt::format("{}: holds results of a different grid; choose another folder with -o, "
                                   "or pass --force to replace them",
                                   options.out_dir));
    for (const char* name : kResultFiles) fs::remove(dir / name);
    return done;
  }
  for (const char* name : {"runs.csv", "curves.csv", "weights.csv"})
    if (fs::exists(dir / name)) repair_torn_tail((dir / name).string());
  if (!fs::exists(dir / "runs.csv")) return done;
  const auto runs = read_csv((dir / "runs.csv").string());
  const auto status_at = std::find(runs.header.begin(), runs.header.end(), "status") - runs.header.begin();
  for (const auto& row : runs.rows) {
    const auto& status = row.at(static_cast<std::size_t>(status_at));
    if (status == "interrupted" || (options.retry_failed && is_failure(status))) continue;
    done.insert(row.at(0));
  }
  keep_rows((dir / "runs.csv").string(), done);
  keep_rows((dir / "curves.csv").string(), done);
  keep_rows((dir / "weights.csv").string(), done);
  return done;
}

// A job: the runs one worker process trains, in order. Runs already recorded are trained again (a shared
// stream is replayed from its start) but not written again.
struct Job {
  std::vector<const RunSpec*> runs;
  std::vector<bool> write;
  double cost = 0;
};

// Expected cost of a run, to start the longest first and to estimate time left: steps x (batch + 16) x width.
double expected_cost(const RunSpec& run) {
  const auto plan = plan_batches(task_train_size(run.task), run.batch_size, run.drop_last);
  double width = 1;
  if (run.task.type == "mlp")
    for (auto hidden : run.task.params.at("hidden")) width += hidden.get<double>();
  return static_cast<double>(total_iterations(plan, run.budget)) * static_cast<double>(plan.batch_size + 16) * width;
}

std::vector<Job> plan_jobs(const std::vector<RunSpec>& runs, const std::set<std::string>& done) {
  std::vector<Job> jobs;
  std::map<std::string, std::size_t> stream_job;
  std::set<std::string> streams_with_work;
  for (const auto& run : runs)
    if (run.shared_stream && !done.count(run.id)) streams_with_work.insert(stream_key(run));
  for (const auto& run : runs) {
    const bool missing = !done.count(run.id);
    if (!run.shared_stream) {
      if (missing) jobs.push_back({{&run}, {true}, expected_cost(run)});
      continue;
    }
    if (!streams_with_work.count(stream_key(run))) continue;
    auto [found, inserted] = stream_job.emplace(stream_key(run), jobs.size());
    if (inserted) jobs.emplace_back();
    auto& job = jobs[found->second];
    job.runs.push_back(&run);
    job.write.push_back(missing);
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
  std::string log_file;
};

std::string self_executable() { return fs::read_symlink("/proc/self/exe").string(); }

pid_t launch(const Child& child, const std::string& out_dir, int threads, std::int64_t max_memory) {
  std::string indices;
  for (const auto* run : child.job.runs) indices += (indices.empty() ? "" : ",") + std::to_string(run->index);
  std::vector<std::string> args = {self_executable(), "_worker", out_dir, "--runs", indices,
                                   "--threads", std::to_string(threads)};
  if (max_memory > 0) {
    args.push_back("--max-memory");
    args.push_back(std::to_string(max_memory));
  }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("cannot start a worker: {}", std::strerror(errno)));
  if (pid == 0) {
    // The child: output to its log file, then the worker.
    const int log = ::open(child.log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

std::string last_line_of(const std::string& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
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
  const auto said = last_line_of(child.log_file);
  if (!said.empty() && result.status == "crashed") result.error += ": " + said;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - child.started).count();
  return result;
}

}  // namespace

bool is_failure(const std::string& status) {
  return status == "oom" || status == "timeout" || status == "crashed" || status == "error";
}

std::string default_results_dir(const SweepSpec& spec) { return "results/" + spec.name; }

SweepOutcome run_sweep(const SweepSpec& spec, const RunnerOptions& options, std::ostream& log) {
  const auto runs = expand(spec);
  const auto done = prepare_folder(spec, options);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = options.workers > 0 ? options.workers : cores;
  const int threads = options.threads > 0 ? options.threads : std::max(1, cores / workers);
  const double timeout_s = options.timeout_s > 0 ? options.timeout_s : spec.timeout_s;
  const std::int64_t max_memory = options.max_memory > 0 ? options.max_memory : spec.max_memory;

  SweepOutcome outcome;
  outcome.total = runs.size();
  outcome.skipped = done.size();
  if (!options.quiet)
    for (const auto& warning : batch_size_warnings(runs)) log << warning << "\n";

  ResultsWriter writer(options.out_dir, widest_linear_task(spec));
  fs::create_directories(pending_dir(options.out_dir));
  ManifestInfo manifest;
  manifest.grid_file = options.grid_file;
  manifest.grid = spec.source;
  manifest.devices = spec.devices;
  manifest.threads = threads;
  manifest.workers = workers;
  manifest.started_at = utc_now();
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
  std::vector<Child> running;
  std::size_t next_job = 0;
  bool forwarded = false;

  auto record = [&](const RunSpec& run, TrainResult result, std::int64_t process_rss) {
    result.process_peak_rss_bytes = process_rss;
    writer.append(run, result);
    ++outcome.ran;
    ++manifest.runs_finished;
    if (result.status != "ok" && result.status != "interrupted") {
      ++outcome.failed;
      ++manifest.runs_failed;
    }
    progress.finished(run, result, expected_cost(run));
  };

  auto collect = [&](Child& child, int wait_status, const rusage& usage) {
    const bool interrupted = g_interrupts > 0;
    const std::int64_t process_rss = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
    std::string broken;  // set once a run of a shared stream has no result: the runs after it cannot run
    for (std::size_t i = 0; i < child.job.runs.size(); ++i) {
      const RunSpec& run = *child.job.runs[i];
      const auto file = pending_result_path(options.out_dir, run.id);
      TrainResult result;
      if (fs::exists(file)) {
        result = result_from_json(parse_json_file(file));
        fs::remove(file);
      } else if (broken.empty()) {
        result = failed_run(child, wait_status, interrupted);
        broken = fmt::format("{} ({})", run.id, result.status);
      } else {
        result.status = interrupted ? "interrupted" : "error";
        result.error = fmt::format("not run: run {} before it in its shared stream did not finish", broken);
      }
      if (child.job.write[i]) record(run, result, process_rss);
    }
    fs::remove(child.log_file);
  };

  while (true) {
    if (g_interrupts >= 2) {
      for (auto& child : running) kill(child.pid, SIGKILL);
      progress.done();
      log << "bsweep: interrupted twice: stopped at once; every run recorded so far is kept\n";
      std::_Exit(130);
    }
    if (g_interrupts == 1 && !forwarded) {
      for (auto& child : running) kill(child.pid, SIGTERM);
      forwarded = true;
    }
    while (g_interrupts == 0 && running.size() < static_cast<std::size_t>(workers) && next_job < jobs.size()) {
      Child child;
      child.job = jobs[next_job++];
      child.started = std::chrono::steady_clock::now();
      child.log_file = fmt::format("{}/{}.log", pending_dir(options.out_dir), child.job.runs.front()->id);
      child.pid = launch(child, options.out_dir, threads, max_memory);
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
  std::error_code ignored;
  fs::remove(pending_dir(options.out_dir), ignored);  // only when empty

  // Jobs never started because of an interruption stay unrecorded: a rerun runs them.
  outcome.interrupted = g_interrupts > 0;
  manifest.finished_at = outcome.interrupted ? "" : utc_now();
  write_manifest(options.out_dir, manifest);
  if (!options.quiet) {
    log << fmt::format("{} runs: {} ran, {} already recorded, {} failed{} -> {}\n", outcome.total, outcome.ran,
                       outcome.skipped, outcome.failed, outcome.interrupted ? ", interrupted (rerun to resume)" : "",
                       options.out_dir);
  }
  return outcome;
}

}  // namespace bsweep
