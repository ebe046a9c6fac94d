// The probe client and the parallel probe runner (see probe.h).
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "common/strings.h"
#include "lab/probe.h"
#include "lab/probe_io.h"
#include "lab/sockaddr.h"

namespace egret::lab {
namespace {

using probe_io::Clock;
using probe_io::ErrnoText;
using probe_io::Failed;
using probe_io::WaitFor;

constexpr std::string_view kProbeLine = "egret-probe\n";

std::string TimeoutText(const ProbeRequest& r) { return probe_io::TimeoutText(r.timeout); }

// Reads the server's answer line; connected once a line (or text up to EOF) arrived.
ProbeResult ReadAnswer(int fd, const ProbeRequest& r, Clock::time_point deadline) {
  std::string got;
  while (got.find('\n') == std::string::npos && got.size() < 256) {
    int ready = WaitFor(fd, POLLIN, deadline);
    if (ready == 0) return Failed(TimeoutText(r));
    if (ready < 0) return Failed(ErrnoText(errno));
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return Failed(ErrnoText(errno));
    if (n == 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  std::string source(Trim(got.substr(0, got.find('\n'))));
  if (source.empty()) return Failed("the server closed the connection without an answer");
  ProbeResult ok;
  ok.connected = true;
  ok.source = std::move(source);
  return ok;
}

ProbeResult ProbeTcp(int fd, const sockaddr_storage& sa, socklen_t len, const ProbeRequest& r) {
  auto deadline = Clock::now() + r.timeout;
  if (std::string err = probe_io::ConnectStream(fd, sa, len, r, deadline); !err.empty()) {
    return Failed(err);
  }
  // The server answers without waiting for this line; it is sent for servers that do wait.
  (void)!::send(fd, kProbeLine.data(), kProbeLine.size(), MSG_NOSIGNAL);
  return ReadAnswer(fd, r, deadline);
}

ProbeResult ProbeUdp(int fd, const sockaddr_storage& sa, socklen_t len, const ProbeRequest& r) {
  auto deadline = Clock::now() + r.timeout;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), len) != 0) {
    return Failed(ErrnoText(errno));
  }
  if (::send(fd, kProbeLine.data(), kProbeLine.size(), 0) < 0) return Failed(ErrnoText(errno));
  // A refused datagram shows up as ECONNREFUSED on the read (ICMP port unreachable).
  return ReadAnswer(fd, r, deadline);
}

}  // namespace

ProbeResult Probe(const ProbeRequest& r) {
  int type = r.protocol == model::Protocol::kUDP ? SOCK_DGRAM : SOCK_STREAM;
  if (r.protocol == model::Protocol::kSCTP) return Failed("SCTP probes are not supported");
  int family = r.address.is_v4() ? AF_INET : AF_INET6;
  UniqueFd fd(::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Failed("socket: " + ErrnoText(errno));
  socklen_t len = 0;
  sockaddr_storage sa = ToSockaddr(r.address, r.port, &len);
  if (r.app == ProbeApp::kWebSocket) {
    if (type != SOCK_STREAM) return Failed("WebSocket probes run over TCP");
    return probe_io::ProbeWebSocket(fd.get(), sa, len, r);
  }
  return type == SOCK_STREAM ? ProbeTcp(fd.get(), sa, len, r) : ProbeUdp(fd.get(), sa, len, r);
}

std::vector<ProbeResult> RunProbes(const std::vector<ProbeTask>& tasks, int parallelism) {
  std::vector<ProbeResult> results(tasks.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    // A dedicated thread: it may switch namespaces freely and is discarded afterwards.
    int current = -1;
    for (size_t i = next++; i < tasks.size(); i = next++) {
      const ProbeTask& t = tasks[i];
      if (t.netns_fd >= 0 && t.netns_fd != current) {
        if (::setns(t.netns_fd, CLONE_NEWNET) != 0) {
          results[i] = Failed("setns: " + ErrnoText(errno));
          continue;
        }
        current = t.netns_fd;
      }
      results[i] = Probe(t.request);
    }
  };
  size_t n = std::clamp<size_t>(static_cast<size_t>(std::max(parallelism, 1)), 1,
                                std::max<size_t>(tasks.size(), 1));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace egret::lab
