// A private working folder inside the folder a command writes to (report draws its figures there before it embeds
// them): never in /tmp, where a killed command would leave it for nobody to find. Named .scratch-PID-XXXXXX; it is
// removed when the object goes, and one left by a process that no longer lives (SIGKILL) is swept by the next.
#pragma once

#include <string>

namespace bsweep {

class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& parent);  // creates parent if need be; a ResourceError if it cannot
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Removes the scratch folders in `parent` whose process is gone; returns how many.
int sweep_stale_scratch(const std::string& parent);

}  // namespace bsweep
