#include "util/interrupts.h"

namespace bsweep {
namespace {

volatile std::sig_atomic_t g_interrupts = 0;
int g_depth = 0;  // guards alive (one thread installs them)

void on_interrupt(int) { g_interrupts = g_interrupts + 1; }

}  // namespace

InterruptGuard::InterruptGuard() : outermost_(g_depth++ == 0) {
  if (!outermost_) return;
  g_interrupts = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
  sigaction(SIGHUP, &action, &old_hup_);
}

InterruptGuard::~InterruptGuard() {
  --g_depth;
  if (!outermost_) return;
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
}

int interrupts() { return g_interrupts; }

}  // namespace bsweep
