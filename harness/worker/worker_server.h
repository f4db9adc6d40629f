// The preloaded worker server, `bsweep-worker --serve`: started once per sweep with LibTorch loaded and no thread
// pool started, it forks one child per job on request (exec/server_protocol.h), so a job starts in milliseconds
// and still has a process of its own: a crash or an out-of-memory kill costs one job. The server dies with its
// parent (PR_SET_PDEATHSIG, set by the parent's launch), and its children die with it.
#pragma once

namespace bsweep {

// Serves requests on `socket` until the parent closes it; then kills and reaps its children. Returns the exit code.
int serve_jobs(int socket);

}  // namespace bsweep
