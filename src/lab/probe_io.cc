#include "lab/probe_io.h"

#include <cerrno>
#include <cstring>

#include "common/strings.h"

namespace egret::lab::probe_io {

using std::chrono::milliseconds;

std::string TimeoutText(milliseconds timeout) {
  return "timed out after " + std::to_string(timeout.count()) + " ms";
}

std::string ErrnoText(int err) {
  std::string s = std::strerror(err);
  return ToLower(s.substr(0, 1)) + s.substr(1);
}

int WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return 0;
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    return n < 0 ? -1 : (n > 0 ? 1 : 0);
  }
}

std::string ConnectStream(int fd, const sockaddr_storage& sa, socklen_t len, const ProbeRequest& r,
                          Clock::time_point deadline) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), len) != 0 && errno != EINPROGRESS) {
    return ErrnoText(errno);
  }
  int ready = WaitFor(fd, POLLOUT, deadline);
  if (ready == 0) return TimeoutText(r.timeout);
  int err = 0;
  socklen_t err_len = sizeof(err);
  if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0) err = errno;
  return err != 0 ? ErrnoText(err) : "";
}

}  // namespace egret::lab::probe_io
