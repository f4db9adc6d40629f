// One writer per results folder: `bsweep run` holds an advisory lock (flock) on FOLDER/.lock for the sweep's
// life. A second sweep into the same folder is refused at once; the kernel drops the lock when the holder
// dies, however it dies, so a killed sweep never leaves the folder locked.
#pragma once

#include <string>

namespace bsweep {

class FolderLock {
 public:
  // Creates `directory` where absent and takes its lock. ResourceError when another process holds it (naming
  // its pid) or when the folder cannot be created or written (naming the cause).
  explicit FolderLock(const std::string& directory);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace bsweep
