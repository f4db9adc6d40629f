// Text for gnuplot scripts. Strings from results files (task names, dtypes, labels) reach titles, legends and
// tic labels, and a results folder is untrusted input: gnuplot runs `...` inside double-quoted strings through
// the shell and expands @macros, so nothing but a short list of inert characters is written as itself. Every
// other byte becomes an octal escape ("\140" for the backtick), which gnuplot turns back into the byte only
// after it has read the command, so no character of the text can act as syntax. UTF-8 survives byte by byte.
#pragma once

#include <string>

namespace bsweep {

// A double-quoted gnuplot string showing `text` literally in enhanced mode (_ ^ { } @ & ~ \ escaped as marks).
std::string gnuplot_text(const std::string& text);

// A double-quoted gnuplot string of `text` as it is (for file names: no enhanced-text marks apply there).
std::string gnuplot_path(const std::string& text);

}  // namespace bsweep
