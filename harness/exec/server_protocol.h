// The messages between `bsweep run` (exec/local_executor) and its preloaded worker server (`bsweep-worker
// --serve`, worker_server.h): one text message per packet over a SOCK_SEQPACKET socket pair; a start request
// carries the job's output pipe as an SCM_RIGHTS descriptor.
//   parent -> server: "start ID THREADS MAX_MEMORY JOB_FILE"   (+ the write end of the job's output pipe)
//   server -> parent: "started ID PID" | "failed ID WHY" | "ended ID WAIT_STATUS MAX_RSS_KB"
#pragma once

#include <optional>
#include <string>

namespace bsweep {

// Sends one message, with `fd` attached when it is not -1; false when the peer is gone.
bool send_message(int socket, const std::string& text, int fd = -1);
// Receives one message; `fd` (when given) gets an attached descriptor or -1. Empty at end of stream (the peer is
// gone); with `wait` false also empty when no message is waiting (then `*gone` says which).
std::optional<std::string> receive_message(int socket, int* fd, bool wait, bool* gone);

}  // namespace bsweep
