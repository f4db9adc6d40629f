#include "exec/slurm_executor.h"

#include "util/errors.h"
#include "util/host.h"
#include "exec/command.h"
#include "exec/job_file.h"
#include "util/json_path.h"
#include "results/writer.h"

#include <fmt/format.h>

#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kScanEvery{500};   // look for result files
constexpr std::chrono::seconds kQueryEvery{2};         // ask squeue (a scheduler is not to be hammered)
// A task that COMPLETED may have written results another node's cache does not show yet (NFS): they get this long.
constexpr std::chrono::seconds kResultGrace{15};
constexpr std::size_t kLogTail = 4096;
constexpr std::chrono::seconds kSilenceWarning{60};

CommandResult slurm(const std::vector<std::string>& argv) {
  auto result = run_command(argv);
  if (result.exit_code == -1 && result.err.find("No such file") != std::string::npos)
    throw ResourceError(fmt::format("{}: not found: --slurm needs Slurm's commands (sbatch, squeue, scontrol, sinfo) "
                                    "on this machine's PATH",
                                    argv.at(0)));
  return result;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text;
}

// Filesystems that live on one machine's own disk or memory: a node other than this one cannot see them.
std::string local_filesystem(const std::string& path) {
  struct statfs info {};
  if (::statfs(path.c_str(), &info) != 0) return "";
  switch (static_cast<unsigned long>(info.f_type)) {
    case 0xEF53: return "ext4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs";
    case 0x794C7630: return "overlayfs";
    case 0x2FC12FC1: return "zfs";
    case 0xF2F52010: return "f2fs";
    default: return "";  // nfs, lustre, gpfs, beegfs, cephfs, ...: taken as shared
  }
}

std::string tail_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg()));
  const auto from = size > kLogTail ? size - kLogTail : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string text(size - from, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

}  // namespace

SlurmExecutor::SlurmExecutor(SlurmExecutorOptions options) : options_(std::move(options)) {
  program_ = fs::read_symlink("/proc/self/exe").string();
  const auto& slurm_options = options_.slurm;
  if (!slurm_options.time.empty() && !valid_slurm_time(slurm_options.time))
    throw InputError(fmt::format("--time: expected one of sbatch's forms (minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S), "
                                 "got \"{}\"",
                                 slurm_options.time));
  for (const auto& path : {fs::absolute(options_.out_dir).string(), program_})
    // sbatch reads #SBATCH lines without quoting and expands % in --output: such a path would fail every task.
    if (path.find_first_of("'\n%\t ") != std::string::npos)
      throw InputError(fmt::format("{}: a path with a quote, a space, a % or a line break cannot go into an sbatch "
                                   "script: choose another with -o",
                                   path));
  const auto config = slurm({"scontrol", "show", "config"});
  if (config.exit_code != 0)
    throw ResourceError(fmt::format("Slurm does not answer (scontrol show config: {})", trimmed(config.err + config.out)));
  max_array_size_ = std::max<std::size_t>(1, parse_max_array_size(config.out));
  const auto partitions = slurm({"sinfo", "-h", "-o", "%P"});
  if (partitions.exit_code != 0)
    throw ResourceError(fmt::format("Slurm does not answer (sinfo: {})", trimmed(partitions.err)));
  std::vector<std::string> names;
  std::string default_partition;  // sinfo marks it with a '*'
  std::istringstream lines(partitions.out);
  for (std::string line; std::getline(lines, line);) {
    line = trimmed(line);
    const bool is_default = !line.empty() && line.back() == '*';
    if (is_default) line.pop_back();
    if (is_default) default_partition = line;
    if (!line.empty()) names.push_back(line);
  }
  if (!slurm_options.partition.empty() &&
      std::find(names.begin(), names.end(), slurm_options.partition) == names.end()) {
    std::string known;
    for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
    throw InputError(fmt::format("--partition: the cluster has no partition \"{}\" (it has: {})",
                                 slurm_options.partition, known));
  }
  if (slurm_options.assume_shared) return;
  // The nodes the tasks may run on: the partition's, or the default partition's.
  const auto& partition = slurm_options.partition.empty() ? default_partition : slurm_options.partition;
  std::vector<std::string> sinfo = {"sinfo", "-h", "-N", "-o", "%N"};
  if (!partition.empty()) sinfo.insert(sinfo.end(), {"-p", partition});
  const auto nodes = slurm(sinfo);
  std::set<std::string> others;
  std::istringstream node_lines(nodes.out);
  const std::string here = host_name().substr(0, host_name().find('.'));
  for (std::string node; std::getline(node_lines, node);) {
    node = trimmed(node);
    if (!node.empty() && node != here && node != "localhost") others.insert(node);
  }
  if (others.empty()) return;  // every node is this machine: its own disk is shared with itself
  std::string other_names;
  for (const auto& node : others) other_names += (other_names.empty() ? "" : ", ") + node;
  // The results folder may not exist yet: the filesystem it will be on is its nearest existing parent's.
  fs::path folder = fs::absolute(options_.out_dir);
  while (!fs::exists(folder) && folder.has_parent_path() && folder != folder.parent_path()) folder = folder.parent_path();
  const std::pair<std::string, fs::path> places[] = {{"the results folder", folder}, {"the bsweep program", program_}};
  for (const auto& [what, path] : places) {
    const auto kind = local_filesystem(path.string());
    if (kind.empty()) continue;
    throw InputError(fmt::format("{} {} is on this machine's own {} filesystem, which the nodes ({}) cannot see: the "
                                 "array tasks {} there. Put it on a filesystem the nodes share (-o; for the program, "
                                 "build bsweep there), or run shards on each machine (--shard K/N) and join them with "
                                 "`bsweep merge`. --assume-shared skips this check.",
                                 what, what == "the results folder" ? fs::absolute(options_.out_dir).string() : program_,
                                 kind, other_names, what == "the results folder" ? "write their results" : "run it from"));
  }
}

std::size_t SlurmExecutor::running() const {
  if (detached_) return 0;
  std::size_t count = buffered_.size();
  for (const auto& [id, job] : jobs_) count += !job.reported;
  return count;
}

void SlurmExecutor::start(std::size_t id, const std::string& job_file, double time_limit_s, double cost) {
  buffered_.push_back({id, job_file, time_limit_s, cost});
}

std::string SlurmExecutor::take_warning() { return std::exchange(warning_, std::string()); }

bool SlurmExecutor::detach() {
  detached_ = true;
  return true;
}

std::string SlurmExecutor::job_ids(bool adopted) const {
  std::string ids;
  for (const auto& submission : submissions_)
    if (adopted || !submission.earlier)
      for (const auto& array : submission.arrays)
        for (const auto& part : array.parts)
          if (!part.empty()) ids += (ids.empty() ? "" : ", ") + part;
  return ids;
}

void SlurmExecutor::write_submission(const Submission& submission) const {
  nlohmann::json arrays = nlohmann::json::array();
  for (const auto& array : submission.arrays)
    arrays.push_back({{"file", array.file}, {"parts", array.parts}, {"part_size", array.part_size}, {"tasks", array.tasks}});
  const nlohmann::json json = {{"sweep", submission.sweep}, {"arrays", arrays}};
  write_atomically(submission.dir + "/submission.json", json.dump(2) + "\n");
}

void SlurmExecutor::submit_buffered() {
  const std::string dir = fs::path(buffered_.front().job_file).parent_path().string();
  auto found = std::find_if(submissions_.begin(), submissions_.end(), [&](const Submission& s) { return s.dir == dir; });
  if (found == submissions_.end()) {
    const auto sweep = read_job(buffered_.front().job_file).sweep;
    submissions_.push_back({dir, sweep, false, {}});
    found = submissions_.end() - 1;
  }
  const std::size_t submission_index = static_cast<std::size_t>(found - submissions_.begin());
  auto& submission = *found;

  std::vector<double> costs;
  std::vector<std::size_t> run_counts;
  std::vector<std::vector<std::string>> results;
  for (const auto& job : buffered_) {
    const auto read = read_job(job.job_file);
    costs.push_back(job.cost);
    run_counts.push_back(read.runs.size());
    std::vector<std::string> files;
    for (const auto& run : read.runs) files.push_back(result_path(read.result_dir, run.sent_id));
    results.push_back(std::move(files));
  }
  const auto tasks = pack_tasks(costs, run_counts, options_.slurm.runs_per_task, options_.slurm.max_array_tasks);
  ArrayFile array_file;
  array_file.workers = options_.workers;
  for (const auto& task : tasks) {
    std::vector<TaskJob> jobs;
    for (const auto job : task)
      jobs.push_back({fs::path(buffered_[job].job_file).filename().string(), buffered_[job].time_limit_s});
    array_file.tasks.push_back(std::move(jobs));
  }
  const std::size_t array_index = submission.arrays.size();
  const std::string name = fmt::format("array-{}", array_index);
  fs::create_directories(dir + "/logs");
  write_atomically(fmt::format("{}/{}.json", dir, name), array_file_json(array_file).dump(1) + "\n");
  const std::string script = fmt::format("{}/{}.sbatch", dir, name);
  write_atomically(script, sbatch_script(options_.slurm, {program_, dir, name + ".json", options_.job_name}));

  Array array{name + ".json", {}, max_array_size_, tasks.size()};
  const auto firsts = array_parts(tasks.size(), max_array_size_);
  array.parts.assign(firsts.size(), "");
  submission.arrays.push_back(array);
  write_submission(submission);  // before sbatch: a job submitted is never one the folder does not know of
  for (std::size_t t = 0; t < tasks.size(); ++t)
    for (const auto job : tasks[t])
      jobs_[buffered_[job].id] = {submission_index, array_index, t, results[job], buffered_[job].job_file};
  buffered_.clear();
  for (std::size_t part = 0; part < firsts.size(); ++part) {
    const std::size_t count = std::min(max_array_size_, tasks.size() - firsts[part]);
    // The part's first task goes as the script's argument: an --export of a variable would make slurmd load the
    // user's login environment for every task (a second each).
    const auto answer = slurm({"sbatch", "--parsable", fmt::format("--array=0-{}", count - 1), script,
                               std::to_string(firsts[part])});
    const auto id = trimmed(answer.out.substr(0, answer.out.find(';')));
    if (answer.exit_code != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
      throw ResourceError(fmt::format("sbatch refused the job array {} ({} tasks): {}", script, count,
                                      trimmed(answer.err + answer.out)));
    submission.arrays[array_index].parts[part] = id;
    tasks_submitted_ += count;
    write_submission(submission);
  }
  last_query_ = std::chrono::steady_clock::now();  // the scheduler has just heard of them
}

void SlurmExecutor::query_states() {
  for (std::size_t s = 0; s < submissions_.size(); ++s) {
    const auto& submission = submissions_[s];
    for (std::size_t a = 0; a < submission.arrays.size(); ++a) {
      const auto& array = submission.arrays[a];
      for (std::size_t part = 0; part < array.parts.size(); ++part) {
        const std::size_t first = part * array.part_size;
        const std::size_t count = std::min(array.part_size, array.tasks - first);
        auto forget = [&] {  // Slurm does not know the job (never submitted, or forgotten since)
          for (std::size_t t = first; t < first + count; ++t) states_[{s, a, t}] = "";
        };
        if (array.parts[part].empty()) {
          forget();
          continue;
        }
        bool open = false;
        for (std::size_t t = first; t < first + count; ++t) {
          const auto known = states_.find({s, a, t});
          open = open || known == states_.end() || slurm_state_alive(known->second);
        }
        if (!open) continue;
        const auto answer =
            slurm({"squeue", "-h", "-r", "-j", array.parts[part], "--states=all", "-o", "%K|%T"});
        if (answer.exit_code != 0) {
          if (answer.err.find("Invalid job id") != std::string::npos) {
            forget();
            continue;
          }
          // The controller is busy, restarting or gone: ask again later, and say so if it lasts.
          const auto now = std::chrono::steady_clock::now();
          if (failing_since_ == std::chrono::steady_clock::time_point{}) failing_since_ = now;
          last_failure_ = trimmed(answer.err + answer.out);
          if (!warned_ && now - failing_since_ >= kSilenceWarning) {
            warned_ = true;
            warning_ = fmt::format("warning: Slurm has not answered for {} s (squeue: {}); still waiting for "
                                   "the results; Ctrl-C stops waiting and leaves the jobs to Slurm",
                                   std::chrono::duration_cast<std::chrono::seconds>(kSilenceWarning).count(),
                                   last_failure_);
          }
          continue;
        }
        failing_since_ = {};
        const auto states = parse_squeue(answer.out);
        if (states.empty()) {
          forget();
          continue;
        }
        // A task cancelled while pending leaves the listing altogether.
        for (std::size_t t = first; t < first + count; ++t) states_[{s, a, t}] = "CANCELLED";
        for (const auto& [index, state] : states)
          if (index < count) states_[{s, a, first + index}] = state;
      }
    }
  }
}

std::string SlurmExecutor::log_file(const Tracked& job) const {
  const auto& submission = submissions_.at(job.submission);
  const auto& array = submission.arrays.at(job.array);
  const std::size_t part = job.task / array.part_size;
  return fmt::format("{}/logs/{}_{}.out", submission.dir, array.parts.at(part), job.task - part * array.part_size);
}

std::vector<JobEnd> SlurmExecutor::poll(std::chrono::milliseconds wait) {
  std::vector<JobEnd> ended;
  if (detached_) return ended;
  close_finished();
  if (!buffered_.empty()) submit_buffered();
  std::this_thread::sleep_for(wait);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_query_ >= kQueryEvery) {
    query_states();
    last_query_ = now;
  }
  if (now - last_scan_ < kScanEvery) return ended;
  last_scan_ = now;
  for (auto& [id, job] : jobs_) {
    if (job.reported) continue;
    const bool all_there = std::all_of(job.result_files.begin(), job.result_files.end(),
                                       [](const std::string& file) { return fs::exists(file); });
    JobEnd end;
    end.id = id;
    if (!all_there) {
      const auto state = states_.find({job.submission, job.array, job.task});
      if (state == states_.end() || slurm_state_alive(state->second)) continue;
      if (!job.task_ended) {
        job.task_ended = true;
        job.ended_seen = now;
      }
      const bool earlier = submissions_[job.submission].earlier;
      if (state->second == "COMPLETED" && !earlier && now - job.ended_seen < kResultGrace) continue;
      const auto log = log_file(job);
      end = slurm_task_end(state->second, earlier, log);
      end.id = id;
      end.output = tail_of_file(log);
    }
    job.reported = true;
    ended.push_back(std::move(end));
  }
  return ended;
}

void SlurmExecutor::close_finished() {
  for (std::size_t s = 0; s < submissions_.size(); ++s) {
    auto& submission = submissions_[s];
    if (submission.dir.empty()) continue;  // closed already
    bool all_reported = true, any = false;
    for (const auto& [id, job] : jobs_) {
      if (job.submission != s) continue;
      any = true;
      all_reported = all_reported && job.reported;
    }
    const bool pending = std::any_of(buffered_.begin(), buffered_.end(), [&](const Buffered& job) {
      return fs::path(job.job_file).parent_path().string() == submission.dir;
    });
    if (!any || !all_reported || pending) continue;
    // Every job's results were recorded (poll's caller records before it polls again): what is left is no one's.
    // The scripts, array files and logs stay, for whoever wants to see what ran.
    for (const auto& entry : fs::directory_iterator(submission.dir)) {
      const auto file = entry.path().filename().string();
      const bool job_or_result = entry.is_regular_file() && entry.path().extension() == ".json" &&
                                 file.rfind("array-", 0) != 0 && file != "submission.json";
      if (job_or_result) fs::remove(entry.path());
    }
    write_atomically(submission.dir + "/closed", "every job of this submission was recorded\n");
    submission.dir.clear();
  }
}

std::vector<std::string> open_submissions(const std::string& out_dir) {
  std::vector<std::string> dirs;
  const fs::path root = fs::path(out_dir) / "slurm";
  if (!fs::is_directory(root)) return dirs;
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.is_directory() && fs::exists(entry.path() / "submission.json") && !fs::exists(entry.path() / "closed"))
      dirs.push_back(fs::absolute(entry.path()).string());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::vector<OpenJob> SlurmExecutor::open_jobs() {
  std::vector<OpenJob> open;
  for (const auto& dir_name : open_submissions(options_.out_dir)) {
    const fs::path dir(dir_name);
    std::string file = (dir / "submission.json").string();  // the one being read, for the error
    try {
      const auto json = parse_json_file(file);
      Submission submission{dir.string(), read_string(json.at("sweep"), "sweep"), true, {}};
      for (const auto& item : json.at("arrays")) {
        Array array{read_string(item.at("file"), "arrays[].file"), {},
                    static_cast<std::size_t>(read_positive_int(item.at("part_size"), "arrays[].part_size")),
                    static_cast<std::size_t>(read_non_negative_int(item.at("tasks"), "arrays[].tasks"))};
        for (const auto& part : item.at("parts")) array.parts.push_back(read_string(part, "arrays[].parts[]"));
        if (array.parts.size() * array.part_size < array.tasks)
          throw InputError(fmt::format("arrays[]: {} tasks in {} parts of {}", array.tasks, array.parts.size(),
                                       array.part_size));
        submission.arrays.push_back(array);
      }
      const std::size_t s = submissions_.size();
      for (std::size_t a = 0; a < submission.arrays.size(); ++a) {
        file = (dir / submission.arrays[a].file).string();
        const auto tasks = read_array_file(file).tasks;
        if (tasks.size() != submission.arrays[a].tasks)
          throw InputError(fmt::format("{} tasks where submission.json says {}", tasks.size(), submission.arrays[a].tasks));
        for (std::size_t t = 0; t < tasks.size(); ++t)
          for (const auto& job : tasks[t]) {
            const auto job_file = (dir / job.file).string();
            if (fs::exists(job_file)) open.push_back({job_file, dir.string(), submission.sweep, s, a, t});
          }
      }
      submissions_.push_back(std::move(submission));
    } catch (const std::exception& error) {  // InputError, or a JSON value of the wrong kind
      throw InputError(fmt::format("{}: this Slurm submission's records are damaged ({}); once its jobs have ended, "
                                   "remove {} to forget it (its runs then run again)",
                                   file, error.what(), dir_name));
    }
  }
  query_states();  // what became of them is known before the first poll
  last_query_ = std::chrono::steady_clock::now();
  return open;
}

void SlurmExecutor::adopt(std::size_t id, const OpenJob& job) {
  const auto read = read_job(job.job_file);
  std::vector<std::string> files;
  for (const auto& run : read.runs) files.push_back(result_path(read.result_dir, run.sent_id));
  jobs_[id] = {job.submission, job.array, job.task, files, job.job_file};
}

}  // namespace bsweep
