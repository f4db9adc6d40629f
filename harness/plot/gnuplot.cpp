#include "plot/gnuplot.h"

#include "exec/command.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace bsweep {
namespace fs = std::filesystem;

std::string find_gnuplot() {
  if (const char* chosen = std::getenv("BSWEEP_GNUPLOT")) {
    if (access(chosen, X_OK) == 0) return chosen;
    throw ToolError(fmt::format("BSWEEP_GNUPLOT={}: not an executable file", chosen));
  }
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const auto candidate = fs::path(folder.empty() ? "." : folder) / "gnuplot";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw ToolError("gnuplot not found on the PATH: bsweep draws its pictures with gnuplot; install it "
                  "(apt-get install gnuplot-nox, which tools/setup.sh does) or set BSWEEP_GNUPLOT");
}

void run_gnuplot(const std::string& script) {
  const std::string gnuplot = find_gnuplot();
  // The script on gnuplot's standard input, its complaints captured: no shell, and no temporary file to leave.
  const auto result = run_command({gnuplot}, script);
  const auto& errors = result.err;
  if (result.exit_code != 0 || result.input_unread || errors.find("error") != std::string::npos)
    throw ToolError(fmt::format("gnuplot failed: {}", errors.empty() ? "no message" : errors));
}

}  // namespace bsweep
