#include "exec/local_executor.h"

#include "util/errors.h"
#include "exec/server_protocol.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

namespace bsweep {
namespace {

constexpr std::size_t kOutputTail = 4096;
constexpr std::chrono::seconds kServerPatience{120};

std::string worker_program_path() {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path() / "bsweep-worker").string();
}

}  // namespace

LocalExecutor::LocalExecutor(LocalOptions options)
    : options_(options), program_path_(worker_program_path()) {
  program_fd_ = ::open(program_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (program_fd_ < 0)
    throw ResourceError(fmt::format("cannot open the training program {}: {} (it is built with bsweep: run "
                                    "tools/setup.sh)",
                                    program_path_, std::strerror(errno)));
}

LocalExecutor::~LocalExecutor() {
  kill_all();
  for (auto& [id, job] : jobs_)
    if (job.output_fd >= 0) ::close(job.output_fd);
  stop_server();
  ::close(program_fd_);
}

void LocalExecutor::start_server() {
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0)
    throw ResourceError(fmt::format("cannot start the worker server: {}", std::strerror(errno)));
  std::string path = program_path_, flag = "--serve";
  char* argv[] = {path.data(), flag.data(), nullptr};  // built before fork: the child only calls what is safe
  // SIGINT, SIGTERM and SIGHUP wait until the child has its default handlers back: one that came between fork and
  // exec would otherwise run this process's handler in the child and be lost.
  sigset_t stop_signals, before;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop_signals, &before);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The server dies with this process, however it dies (the check closes the race with a parent already gone).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(1);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);  // bsweep ignores it (a closed stdout is an error it reports); an exec'd program
                                 // inherits what is ignored
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    ::dup2(sockets[1], STDIN_FILENO);
    // The file opened at the sweep's start, even if it was replaced or removed since (a rebuild during a sweep).
    ::fexecve(program_fd_, argv, environ);
    const char* why = std::strerror(errno);
    const char prefix[] = "bsweep: cannot start the worker server: ";
    if (::write(STDERR_FILENO, prefix, sizeof prefix - 1) < 0 || ::write(STDERR_FILENO, why, std::strlen(why)) < 0) {}
    _exit(127);
  }
  const int fork_error = errno;
  ::sigprocmask(SIG_SETMASK, &before, nullptr);
  ::close(sockets[1]);
  if (pid < 0) {
    ::close(sockets[0]);
    throw ResourceError(fmt::format("cannot start the worker server: {}", std::strerror(fork_error)));
  }
  server_pid_ = pid;
  socket_ = sockets[0];
}

void LocalExecutor::stop_server() {
  if (server_pid_ <= 0) return;
  ::close(socket_);  // the server kills and reaps what still runs, then exits
  socket_ = -1;
  for (int waited = 0; waited < 200; ++waited) {
    if (::waitpid(server_pid_, nullptr, WNOHANG) != 0) {
      server_pid_ = 0;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(server_pid_, SIGKILL);
  while (::waitpid(server_pid_, nullptr, 0) < 0 && errno == EINTR) {}
  server_pid_ = 0;
}

void LocalExecutor::start(std::size_t id, const std::string& job_file, double time_limit_s, double) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (server_pid_ <= 0) start_server();
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
      throw ResourceError(fmt::format("cannot start a worker: {}", std::strerror(errno)));
    const bool sent = send_message(socket_, fmt::format("start {} {} {} {} {}", id, options_.threads,
                                                        options_.max_memory, options_.max_tensor_bytes, job_file),
                                   pipe_fds[1]);
    ::close(pipe_fds[1]);
    const auto asked = std::chrono::steady_clock::now();
    while (sent) {
      // The answer comes in milliseconds once the server is up; its first start loads LibTorch. A server that
      // never answers is stopped rather than waited for forever.
      pollfd answer{socket_, POLLIN, 0};
      if (::poll(&answer, 1, 100) == 0) {
        if (std::chrono::steady_clock::now() - asked < kServerPatience) continue;
        ::close(pipe_fds[0]);
        lose_all("the worker server stopped answering", early_);
        throw ResourceError(fmt::format("the worker server did not answer for {} s",
                                        std::chrono::duration_cast<std::chrono::seconds>(kServerPatience).count()));
      }
      bool gone = false;
      const auto message = receive_message(socket_, nullptr, false, &gone);
      if (!message) {
        if (gone) break;
        continue;
      }
      std::istringstream words(*message);
      std::string verb;
      std::size_t about = 0;
      words >> verb >> about;
      if ((verb == "started" || verb == "failed") && about == id) {
        if (verb == "failed") {
          ::close(pipe_fds[0]);
          std::string why;
          std::getline(words >> std::ws, why);
          throw ResourceError(why);
        }
        Running job;
        words >> job.pid;
        job.started = std::chrono::steady_clock::now();
        job.time_limit_s = time_limit_s;
        job.output_fd = pipe_fds[0];
        ::fcntl(job.output_fd, F_SETFL, O_NONBLOCK);
        jobs_[id] = std::move(job);
        return;
      }
      handle(*message, early_);
    }
    // The server is gone: what it ran is lost; start a new one and ask again, once.
    ::close(pipe_fds[0]);
    lose_all("the worker server ended unexpectedly", early_);
  }
  throw ResourceError("the worker server ends as soon as it starts (see its message above)");
}

void LocalExecutor::drain(Running& job) {
  char buffer[4096];
  while (job.output_fd >= 0) {
    const auto got = ::read(job.output_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    job.output.append(buffer, static_cast<std::size_t>(got));
    if (job.output.size() > 2 * kOutputTail) job.output.erase(0, job.output.size() - kOutputTail);
  }
}

JobEnd LocalExecutor::finish(std::size_t id, Running& job) {
  drain(job);  // the process has ended: what it wrote is all in the pipe
  if (job.output_fd >= 0) ::close(job.output_fd);
  job.output_fd = -1;
  JobEnd end;
  end.id = id;
  end.timed_out = job.timed_out;
  end.output = job.output;
  end.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count();
  return end;
}

void LocalExecutor::handle(const std::string& message, std::vector<JobEnd>& ended) {
  std::istringstream words(message);
  std::string verb;
  std::size_t id = 0;
  words >> verb >> id;
  if (verb != "ended") return;
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return;
  int status = 0;
  long max_rss_kb = -1;
  words >> status >> max_rss_kb;
  JobEnd end = finish(id, found->second);
  end.wait_status = status;
  end.peak_rss_bytes = max_rss_kb >= 0 ? static_cast<std::int64_t>(max_rss_kb) * 1024 : -1;
  ended.push_back(std::move(end));
  jobs_.erase(found);
}

void LocalExecutor::lose_all(const std::string& why, std::vector<JobEnd>& ended) {
  // What the server said before it went counts: those jobs ended as it said.
  for (bool gone = false; server_pid_ > 0 && !gone;) {
    const auto message = receive_message(socket_, nullptr, false, &gone);
    if (!message) break;
    handle(*message, ended);
  }
  for (auto& [id, job] : jobs_) {
    ::kill(job.pid, SIGKILL);
    JobEnd end = finish(id, job);
    end.lost = why;
    ended.push_back(std::move(end));
  }
  jobs_.clear();
  if (server_pid_ > 0) {
    ::close(socket_);
    socket_ = -1;
    ::kill(server_pid_, SIGKILL);
    while (::waitpid(server_pid_, nullptr, 0) < 0 && errno == EINTR) {}
    server_pid_ = 0;
  }
}

std::vector<JobEnd> LocalExecutor::poll(std::chrono::milliseconds wait) {
  std::vector<JobEnd> ended = std::move(early_);
  early_.clear();
  if (ended.empty() && !jobs_.empty()) {
    std::vector<pollfd> watched = {{socket_, POLLIN, 0}};
    for (const auto& [id, job] : jobs_) watched.push_back({job.output_fd, POLLIN, 0});
    ::poll(watched.data(), watched.size(), static_cast<int>(wait.count()));
  }
  for (auto& [id, job] : jobs_) drain(job);
  while (server_pid_ > 0) {
    bool gone = false;
    const auto message = receive_message(socket_, nullptr, false, &gone);
    if (gone) {
      lose_all("the worker server ended unexpectedly", ended);
      break;
    }
    if (!message) break;
    handle(*message, ended);
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto& [id, job] : jobs_) {
    if (job.time_limit_s > 0 && !job.timed_out &&
        std::chrono::duration<double>(now - job.started).count() > job.time_limit_s) {
      job.timed_out = true;
      ::kill(job.pid, SIGKILL);
    }
  }
  return ended;
}

void LocalExecutor::interrupt_all() {
  for (const auto& [id, job] : jobs_) ::kill(job.pid, SIGTERM);
}

void LocalExecutor::kill_all() {
  for (const auto& [id, job] : jobs_) ::kill(job.pid, SIGKILL);
}

}  // namespace bsweep
