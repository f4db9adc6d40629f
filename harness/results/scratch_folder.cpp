#include "results/scratch_folder.h"

#include "util/errors.h"

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace bsweep {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = ".scratch-";

// The pid in a scratch folder's name, or 0 when the name is not one.
pid_t owner_of(const std::string& name) {
  if (name.rfind(kPrefix, 0) != 0) return 0;
  const auto digits = name.substr(std::strlen(kPrefix));
  const auto dash = digits.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 9 || digits.find_first_not_of("0123456789") < dash) return 0;
  return static_cast<pid_t>(std::stol(digits.substr(0, dash)));
}

}  // namespace

int sweep_stale_scratch(const std::string& parent) {
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    const pid_t owner = owner_of(entry.path().filename().string());
    if (owner == 0 || !entry.is_directory(error) || entry.is_symlink(error)) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to ask about)
    fs::remove_all(entry.path(), error);
    removed += !error;
  }
  return removed;
}

ScratchFolder::ScratchFolder(const std::string& parent) {
  const fs::path folder = parent.empty() ? fs::path(".") : fs::path(parent);
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw ResourceError(fmt::format("{}: cannot create the folder: {}", folder.string(), error.message()));
  sweep_stale_scratch(folder.string());
  std::string name = (folder / fmt::format("{}{}-XXXXXX", kPrefix, ::getpid())).string();
  std::vector<char> text(name.begin(), name.end());
  text.push_back('\0');
  if (::mkdtemp(text.data()) == nullptr)
    throw ResourceError(fmt::format("{}: cannot create a working folder: {}", folder.string(), std::strerror(errno)));
  path_ = text.data();
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace bsweep
