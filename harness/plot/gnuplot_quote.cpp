#include "plot/gnuplot_quote.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>

namespace bsweep {

namespace {

// Characters with no meaning to gnuplot's scanner inside a double-quoted string, nor to enhanced text.
bool inert(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c != '\0' && std::strchr(" .,:;=+-()/[]<>!?#%*|'", c));
}

bool enhanced_mark(char c) { return c != '\0' && std::strchr("_^{}@&~\\", c) != nullptr; }

std::string octal(char c) { return fmt::format("\\{:03o}", static_cast<unsigned char>(c)); }

std::string quoted(const std::string& text, bool enhanced) {
  std::string out = "\"";
  bool after_escape = false;
  for (char c : text) {
    // gnuplot reads as many octal digits as follow a backslash: a digit after an escape is escaped too.
    const bool octal_digit = c >= '0' && c <= '7';
    if (c == '\n') {
      out += "\\n";  // a line break in a title
      after_escape = false;
    } else if (inert(c) && !(after_escape && octal_digit)) {
      out += c;
      after_escape = false;
    } else {
      // In enhanced text a backslash before a mark shows the mark itself; the backslash is escaped too.
      if (enhanced && enhanced_mark(c)) out += octal('\\');
      out += octal(c);
      after_escape = true;
    }
  }
  return out + "\"";
}

}  // namespace

std::string gnuplot_text(const std::string& text) { return quoted(text, true); }

std::string gnuplot_path(const std::string& text) { return quoted(text, false); }

}  // namespace bsweep
