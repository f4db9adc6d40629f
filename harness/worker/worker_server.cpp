#include "worker/worker_server.h"

#include "exec/server_protocol.h"
#include "worker/worker.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

namespace bsweep {
namespace {

// The child: becomes the job's worker, its output on the pipe it was given, and exits with the worker's code.
[[noreturn]] void become_worker(const WorkerOptions& options, int output_fd, pid_t server, const sigset_t& mask) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != server) _exit(1);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGHUP, SIG_DFL);
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);  // a stop request that came since the fork is delivered now
  const int nothing = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // fd 0 was the server's socket
  if (nothing >= 0) ::dup2(nothing, STDIN_FILENO);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  ::close(output_fd);
  const int code = run_worker_reporting(options);
  std::fflush(nullptr);
  _exit(code);
}

}  // namespace

int serve_jobs(int socket) {
  // Tensors up to 64 MiB come from the heap and their memory stays there when freed: a job then reuses it from
  // its first steps on, as a long-lived process does once glibc's adaptive threshold has grown, instead of
  // mapping and faulting in fresh pages for every large tensor of its first steps.
  ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  warm_up_kernels();
  // The parent stops jobs itself (it forwards an interrupt to each): the server waits to report them. Blocked as
  // well as ignored, so that one sent to a child before it restores its handlers waits for it instead of being
  // lost (blocked signals are never discarded).
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);  // a closed terminal hangs up its whole process group: the parent stops the jobs
  ::signal(SIGCHLD, SIG_DFL);  // an inherited SIG_IGN would reap the children unseen
  sigset_t child_signal, blocked, before;
  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  blocked = child_signal;
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &blocked, &before);
  const int children_fd = ::signalfd(-1, &child_signal, SFD_CLOEXEC | SFD_NONBLOCK);
  if (children_fd < 0) {
    std::fprintf(stderr, "bsweep-worker: cannot watch its children: %s\n", std::strerror(errno));
    return 1;
  }
  std::map<pid_t, std::string> job_of;  // running children -> the parent's job id
  const pid_t self = ::getpid();
  auto reap = [&] {
    int status = 0;
    rusage usage{};
    pid_t pid;
    while ((pid = ::wait4(-1, &status, WNOHANG, &usage)) > 0) {
      const auto found = job_of.find(pid);
      if (found == job_of.end()) continue;
      send_message(socket, fmt::format("ended {} {} {}", found->second, status, usage.ru_maxrss));
      job_of.erase(found);
    }
  };
  while (true) {
    pollfd watched[2] = {{socket, POLLIN, 0}, {children_fd, POLLIN, 0}};
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (watched[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(children_fd, &info, sizeof info) == sizeof info) {}
      reap();
    }
    if (!(watched[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    int output_fd = -1;
    bool gone = false;
    const auto message = receive_message(socket, &output_fd, true, &gone);
    if (!message) break;  // the parent is done (or gone)
    std::istringstream words(*message);
    std::string verb, id;
    WorkerOptions options;
    words >> verb >> id >> options.threads >> options.max_memory >> options.max_tensor_bytes;
    std::getline(words >> std::ws, options.job_file);
    if (verb != "start" || !words.eof() || options.job_file.empty() || output_fd < 0) {
      send_message(socket, fmt::format("failed {} malformed request: {}", id, message->substr(0, 200)));
      if (output_fd >= 0) ::close(output_fd);
      continue;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(socket);
      ::close(children_fd);
      become_worker(options, output_fd, self, before);
    }
    const int fork_error = errno;
    ::close(output_fd);
    if (pid < 0) {
      send_message(socket, fmt::format("failed {} cannot start a worker: {}", id, std::strerror(fork_error)));
      continue;
    }
    job_of[pid] = id;
    send_message(socket, fmt::format("started {} {}", id, pid));
  }
  // The parent closed its end: whatever still runs has no one to report to.
  for (const auto& [pid, id] : job_of) ::kill(pid, SIGKILL);
  while (::wait(nullptr) > 0) {}
  return 0;
}

}  // namespace bsweep
