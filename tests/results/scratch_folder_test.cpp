#include "results/scratch_folder.h"

#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace bsweep;
namespace fs = std::filesystem;

namespace {

// The pid of a process that has exited and been reaped: no process has it (until the kernel reuses it).
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) _exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

}  // namespace

TEST_CASE("a scratch folder lies inside its parent and goes with its object") {
  bsweep::test::TempDir dir;
  std::string path;
  {
    const ScratchFolder scratch(dir.path() + "/out");
    path = scratch.path();
    CHECK(fs::path(path).parent_path() == fs::path(dir.path() + "/out"));
    CHECK(fs::path(path).filename().string().rfind(fmt::format(".scratch-{}-", ::getpid()), 0) == 0);
    std::ofstream(path + "/figure.png") << "x";
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(fs::is_empty(dir.path() + "/out"));
}

TEST_CASE("a scratch folder of a process that is gone is swept; a living one's, a link and other names are not") {
  bsweep::test::TempDir dir;
  const auto stale = fmt::format("{}/.scratch-{}-abcdef", dir.path(), dead_pid());
  const auto alive = fmt::format("{}/.scratch-{}-abcdef", dir.path(), ::getpid());
  fs::create_directories(stale + "/inner");
  fs::create_directories(alive);
  fs::create_directories(dir.path() + "/keep");
  std::ofstream(dir.path() + "/keep/file") << "x";
  fs::create_directory_symlink(dir.path() + "/keep", fmt::format("{}/.scratch-{}-link00", dir.path(), dead_pid()));
  fs::create_directories(dir.path() + "/.scratch-x-abcdef");
  CHECK(sweep_stale_scratch(dir.path()) == 1);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(alive));
  CHECK(fs::exists(dir.path() + "/keep/file"));
  CHECK(fs::exists(dir.path() + "/.scratch-x-abcdef"));
}
