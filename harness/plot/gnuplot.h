// gnuplot, driven through a pipe: bsweep writes a script (data inline as datablocks) to gnuplot's standard
// input and gnuplot writes the picture. The executable is $BSWEEP_GNUPLOT, else `gnuplot` on the PATH.
#pragma once

#include "util/errors.h"

#include <string>

namespace bsweep {


// The gnuplot executable's path; a ToolError saying how to install it when there is none.
std::string find_gnuplot();

// Runs `script` through gnuplot; a ToolError with gnuplot's own message when it fails.
void run_gnuplot(const std::string& script);

}  // namespace bsweep
