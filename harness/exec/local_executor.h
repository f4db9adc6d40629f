// Jobs as child processes on this machine. One preloaded server (`bsweep-worker --serve`, worker_server.h),
// started at the first job, forks a process per job, so a job starts in milliseconds without loading LibTorch
// again. Each job's output comes back through a pipe of its own (no file: a full disk must not hide why a worker
// failed); everything dies with this process, however it dies.
#pragma once

#include "exec/executor.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace bsweep {

struct LocalOptions {
  std::size_t workers = 1;      // jobs at once
  int threads = 1;              // intra-op threads per job
  std::int64_t max_memory = 0;  // bytes per job; 0: no cap
  std::int64_t max_tensor_bytes = 0;  // live CPU tensor bytes per job; 0: no cap
};

class LocalExecutor final : public Executor {
 public:
  // Finds bsweep-worker next to this program and opens it (ResourceError when it is missing): every job of the
  // sweep runs that file, even if a rebuild replaces it meanwhile.
  explicit LocalExecutor(LocalOptions options);
  ~LocalExecutor() override;
  LocalExecutor(const LocalExecutor&) = delete;
  LocalExecutor& operator=(const LocalExecutor&) = delete;

  std::size_t capacity() const override { return options_.workers; }
  std::size_t running() const override { return jobs_.size(); }
  void start(std::size_t id, const std::string& job_file, double time_limit_s, double cost = 0) override;
  std::vector<JobEnd> poll(std::chrono::milliseconds wait) override;
  void interrupt_all() override;
  void kill_all() override;

 private:
  struct Running {
    pid_t pid = 0;
    std::chrono::steady_clock::time_point started;
    double time_limit_s = 0;
    bool timed_out = false;
    int output_fd = -1;
    std::string output;
  };
  void start_server();
  void stop_server();
  void handle(const std::string& message, std::vector<JobEnd>& ended);
  void drain(Running& job);
  JobEnd finish(std::size_t id, Running& job);
  void lose_all(const std::string& why, std::vector<JobEnd>& ended);

  LocalOptions options_;
  std::string program_path_;
  int program_fd_ = -1;
  pid_t server_pid_ = 0;
  int socket_ = -1;  // to the server
  std::map<std::size_t, Running> jobs_;
  std::vector<JobEnd> early_;  // ends read while waiting for a start's answer
};

}  // namespace bsweep
