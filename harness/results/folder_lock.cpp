#include "results/folder_lock.h"

#include "util/errors.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace bsweep {

FolderLock::FolderLock(const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error)
    throw ResourceError(fmt::format("cannot create the results folder {}: {}; choose a writable folder with -o",
                                    directory, error.message()));
  const std::string path = directory + "/.lock";
  // O_CLOEXEC: a worker must not inherit the lock and keep the folder locked after its parent is gone.
  // O_NOFOLLOW: a .lock planted as a link (in a shared folder) is refused, never truncated through.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0 && errno == ELOOP)
    throw ResourceError(fmt::format("{} is a symbolic link: bsweep never writes through a link in a results folder; "
                                    "remove it, or write to another folder with -o",
                                    path));
  if (fd_ < 0)
    throw ResourceError(fmt::format("cannot write to the results folder {}: {}; choose a writable folder with -o",
                                    directory, std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int cause = errno;
    char holder[32] = {};
    const auto got = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (cause != EWOULDBLOCK)
      throw ResourceError(fmt::format("cannot lock the results folder {}: {}", directory, std::strerror(cause)));
    std::string pid(holder, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    throw ResourceError(fmt::format("{} is in use by another bsweep run{}: wait for it to finish, or write to "
                                    "another folder with -o",
                                    directory, pid.empty() ? "" : fmt::format(" (pid {})", pid)));
  }
  // The holder's pid, for the message above; the lock, not this text, is what excludes.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) { /* informational only */ }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace bsweep
