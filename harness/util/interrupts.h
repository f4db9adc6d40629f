// Ctrl-C, SIGTERM and SIGHUP (a closed terminal or SSH session) while a long command works: counted instead of
// fatal, for as long as a guard lives, so that the command can stop cleanly (a sweep records its running jobs as
// interrupted; bsweep maxbatch stops between attempts). Guards nest: the outermost installs the handlers and
// starts the count at 0, an inner one (the sweep of each maxbatch attempt) shares its count, so a signal is never
// lost between the two.
#pragma once

#include <csignal>

namespace bsweep {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {}, old_term_ {}, old_hup_ {};
  bool outermost_ = false;
};

// Signals counted since the outermost guard began.
int interrupts();

}  // namespace bsweep
