// Jobs as Slurm array tasks. start() only collects jobs; the next poll() packs them into tasks (balanced by
// expected cost, exec/slurm_plan.h), writes the array file and its sbatch script into the submission folder
// (<results>/slurm/<sweep id>/, next to the job files) and submits one job array (several where it is larger than
// the cluster's MaxArraySize). Each task runs `bsweep slurm-task` (exec/slurm_task.h), which trains its jobs with
// a local executor on its node and hands every run's result to the submission folder by atomic rename: the
// results folder must be on a filesystem the nodes share (checked). poll() reports a job as ended once all its
// results are there, or once its task has ended without them (its Slurm state says how: slurm_task_end).
//
// The jobs belong to the cluster, not to this process: interrupting it lets them go on, and a later `bsweep run`
// on the folder adopts the submissions not yet closed (open_jobs), records what they finished and runs again
// what they lost. A submission is closed once every one of its jobs has been reported.
#pragma once

#include "exec/executor.h"
#include "exec/slurm_plan.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace bsweep {

struct SlurmExecutorOptions {
  SlurmOptions slurm;
  std::string out_dir;   // the results folder
  std::string job_name;  // Slurm's name for the arrays
  TaskWorkers workers;   // how each task runs its jobs
};

// A job of an earlier submission that is not closed, for the runner to adopt (give it an id with adopt()).
struct OpenJob {
  std::string job_file;     // absolute
  std::string handoff_dir;  // its submission folder, where its results arrive
  std::string sweep;        // the sweep invocation that wrote it (its results name it)
  std::size_t submission = 0, array = 0, task = 0;
};

// The folder's Slurm submissions not closed yet (their folders), whether or not Slurm still runs them.
std::vector<std::string> open_submissions(const std::string& out_dir);

class SlurmExecutor final : public Executor {
 public:
  // Checks, before anything is written, that Slurm answers, the partition exists, --time is one of sbatch's forms,
  // and that the results folder and this program are where the partition's nodes can see them (unless
  // assume_shared): InputError or ResourceError saying what is wrong.
  explicit SlurmExecutor(SlurmExecutorOptions options);
  SlurmExecutor(const SlurmExecutor&) = delete;
  SlurmExecutor& operator=(const SlurmExecutor&) = delete;

  std::size_t capacity() const override { return static_cast<std::size_t>(-1); }
  std::size_t running() const override;
  void start(std::size_t id, const std::string& job_file, double time_limit_s, double cost) override;
  std::vector<JobEnd> poll(std::chrono::milliseconds wait) override;
  // Both let the jobs go on in Slurm (scancel stops them): a cluster's jobs outlive an interrupted submitter.
  void interrupt_all() override { detach(); }
  void kill_all() override { detach(); }
  bool detach() override;

  // The jobs of the folder's submissions that are not closed.
  std::vector<OpenJob> open_jobs();
  void adopt(std::size_t id, const OpenJob& job);
  // The Slurm job ids of this invocation's submissions so far (with `adopted`, of earlier ones too), e.g. "4711, 4712".
  std::string job_ids(bool adopted = false) const;
  // Closes the submissions whose every job has been reported: call once their results are recorded. (Not done
  // on destruction: a sweep that stops on an error may not have recorded what it was given; a rerun adopts.)
  void close_finished();
  // Tasks submitted by this invocation.
  std::size_t tasks_submitted() const { return tasks_submitted_; }
  // Something the person waiting should know (Slurm has stopped answering), once; empty otherwise.
  std::string take_warning();

 private:
  struct Array {
    std::string file;                // array-N.json, in its submission folder
    std::vector<std::string> parts;  // Slurm job id of each part ("": never submitted)
    std::size_t part_size = 0;
    std::size_t tasks = 0;
  };
  struct Submission {
    std::string dir, sweep;
    bool earlier = false;  // adopted from an invocation before this one
    std::vector<Array> arrays;
  };
  struct Tracked {
    std::size_t submission = 0, array = 0, task = 0;
    std::vector<std::string> result_files;
    std::string job_file;
    bool reported = false;
    std::chrono::steady_clock::time_point ended_seen{};  // when its task was first seen ended (results may lag)
    bool task_ended = false;
  };
  struct Buffered {
    std::size_t id;
    std::string job_file;
    double time_limit_s, cost;
  };
  void submit_buffered();
  void write_submission(const Submission& submission) const;
  void query_states();
  std::string log_file(const Tracked& job) const;

  SlurmExecutorOptions options_;
  std::string program_;  // absolute path of bsweep
  std::size_t max_array_size_ = 1001;
  std::vector<Submission> submissions_;
  std::map<std::size_t, Tracked> jobs_;
  std::vector<Buffered> buffered_;
  // Array task states by (submission, array, task); absent: not seen yet.
  std::map<std::tuple<std::size_t, std::size_t, std::size_t>, std::string> states_;
  std::chrono::steady_clock::time_point last_query_{}, last_scan_{};
  std::size_t tasks_submitted_ = 0;
  bool detached_ = false;
  std::chrono::steady_clock::time_point failing_since_{};  // squeue has failed since (epoch: it answers)
  std::string last_failure_, warning_;
  bool warned_ = false;
};

}  // namespace bsweep
