// What the probe clients (probe_client.cc, probe_ws_client.cc) share: waiting on a socket with
// a deadline, connecting a stream socket, error texts. Internal to the lab's probes.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

#include "lab/probe.h"

namespace egret::lab::probe_io {

using Clock = std::chrono::steady_clock;

inline ProbeResult Failed(std::string error) {
  ProbeResult r;
  r.error = std::move(error);
  return r;
}

// "timed out after 1000 ms".
std::string TimeoutText(std::chrono::milliseconds timeout);

// strerror, starting lower-case: "connection refused".
std::string ErrnoText(int err);

// Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error (errno set).
int WaitFor(int fd, short events, Clock::time_point deadline);

// Connects the nonblocking stream socket `fd` by the deadline. "" once connected, else why
// not ("connection refused", "timed out after T ms" with T = r.timeout).
std::string ConnectStream(int fd, const sockaddr_storage& sa, socklen_t len, const ProbeRequest& r,
                          Clock::time_point deadline);

// The WebSocket probe (probe_ws_client.cc) over the fresh nonblocking stream socket `fd`.
ProbeResult ProbeWebSocket(int fd, const sockaddr_storage& sa, socklen_t len,
                           const ProbeRequest& r);

}  // namespace egret::lab::probe_io
