// The probe server (see probe.h): one poll loop over every listening socket. A TCP client gets
// its answer as soon as it is accepted; the server then reads (and discards) what the client
// sends until a newline, EOF or 2 s, and closes — so a client that sends a line never meets a
// reset, and one that sends nothing still gets its answer. A WebSocket port's connections are
// WsServerConn's (probe_ws_conn.h), served by the same loop.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <thread>

#include "lab/probe.h"
#include "lab/probe_ws_conn.h"
#include "lab/sockaddr.h"

namespace egret::lab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr size_t kMaxOpenConnections = 1024;

struct Listening {
  UniqueFd fd;
  bool tcp = true;
  bool websocket = false;
};

struct Draining {
  UniqueFd fd;
  Clock::time_point deadline;
};

StatusOr<UniqueFd> BindPort(const ServePort& p) {
  int type = p.protocol == model::Protocol::kUDP ? SOCK_DGRAM : SOCK_STREAM;
  std::string what = ServePortText(p);
  UniqueFd fd(::socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  bool v6 = fd.valid();
  if (!v6) fd.reset(::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return ErrnoError("socket for " + what, errno);
  int on = 1, off = 0;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (v6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  sockaddr_storage sa{};
  socklen_t len;
  if (v6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&sa);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(p.port));
    len = sizeof(sockaddr_in6);
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(&sa);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(p.port));
    len = sizeof(sockaddr_in);
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    return ErrnoError("bind " + what, errno);
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), 1024) != 0) {
    return ErrnoError("listen " + what, errno);
  }
  return fd;
}

}  // namespace

struct ProbeServer::Impl {
  std::vector<Listening> listening;
  std::deque<Draining> draining;
  std::deque<WsServerConn> websockets;
  UniqueFd stop_r, stop_w;
  std::thread thread;

  void Run();
  void Accept(int fd);
  void AcceptWebSocket(int fd);
  void AnswerDatagram(int fd);
  void Drain(size_t i);
  int NextTimeoutMs() const;
};

void ProbeServer::Impl::Accept(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  UniqueFd conn(
      ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!conn.valid()) return;
  std::string answer = AddressText(peer) + "\n";
  (void)!::send(conn.get(), answer.data(), answer.size(), MSG_NOSIGNAL);
  if (draining.size() >= kMaxOpenConnections) draining.pop_front();
  draining.push_back({std::move(conn), Clock::now() + kDrainTime});
}

void ProbeServer::Impl::AcceptWebSocket(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  UniqueFd conn(
      ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!conn.valid()) return;
  if (websockets.size() >= kMaxOpenConnections) websockets.pop_front();
  websockets.emplace_back(std::move(conn), AddressText(peer), Clock::now());
}

void ProbeServer::Impl::AnswerDatagram(int fd) {
  char buf[512];
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  ssize_t n = ::recvfrom(fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&peer), &len);
  if (n < 0) return;
  // Each lab host has one address per family, so the kernel's choice of reply source is the
  // address the datagram was sent to.
  std::string answer = AddressText(peer) + "\n";
  (void)!::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&peer), len);
}

void ProbeServer::Impl::Drain(size_t i) {
  char buf[512];
  ssize_t n = ::recv(draining[i].fd.get(), buf, sizeof(buf), 0);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  bool done =
      n <= 0 || std::string_view(buf, static_cast<size_t>(n)).find('\n') != std::string_view::npos;
  if (done) draining[i].fd.reset();
}

int ProbeServer::Impl::NextTimeoutMs() const {
  if (draining.empty() && websockets.empty()) return -1;
  auto first = Clock::time_point::max();
  for (const Draining& d : draining) first = std::min(first, d.deadline);
  for (const WsServerConn& w : websockets) first = std::min(first, w.deadline());
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(first - Clock::now()).count();
  return static_cast<int>(std::max<int64_t>(ms, 0));
}

void ProbeServer::Impl::Run() {
  while (true) {
    std::vector<pollfd> fds{{stop_r.get(), POLLIN, 0}};
    for (const Listening& l : listening) fds.push_back({l.fd.get(), POLLIN, 0});
    for (const Draining& d : draining) fds.push_back({d.fd.get(), POLLIN, 0});
    for (const WsServerConn& w : websockets) fds.push_back({w.fd(), w.events(), 0});
    int n = ::poll(fds.data(), fds.size(), NextTimeoutMs());
    if (n < 0 && errno != EINTR) return;
    if (n < 0) n = 0;
    if (fds[0].revents) return;
    size_t first_conn = 1 + listening.size();
    size_t first_ws = first_conn + draining.size();
    for (size_t i = first_conn; n > 0 && i < first_ws; ++i) {
      if (fds[i].revents) Drain(i - first_conn);
    }
    // Every WebSocket steps, also without events: its deadlines are checked there.
    auto step_time = Clock::now();
    for (size_t i = 0; i < websockets.size(); ++i) {
      websockets[i].Step(fds[first_ws + i].revents, step_time);
    }
    std::erase_if(websockets, [](const WsServerConn& w) { return w.done(); });
    for (size_t i = 0; n > 0 && i < listening.size(); ++i) {
      if (!fds[1 + i].revents) continue;
      if (listening[i].websocket) {
        AcceptWebSocket(listening[i].fd.get());
      } else if (listening[i].tcp) {
        Accept(listening[i].fd.get());
      } else {
        AnswerDatagram(listening[i].fd.get());
      }
    }
    auto now = Clock::now();
    std::erase_if(draining, [&](const Draining& d) { return !d.fd.valid() || d.deadline <= now; });
  }
}

ProbeServer::ProbeServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProbeServer::~ProbeServer() {
  char byte = 0;
  (void)!::write(impl_->stop_w.get(), &byte, 1);
  if (impl_->thread.joinable()) impl_->thread.join();
}

StatusOr<std::unique_ptr<ProbeServer>> ProbeServer::Start(const std::vector<ServePort>& ports) {
  auto impl = std::make_unique<Impl>();
  for (const ServePort& p : ports) {
    ASSIGN_OR_RETURN(UniqueFd fd, BindPort(p));
    impl->listening.push_back(
        {std::move(fd), p.protocol != model::Protocol::kUDP, p.app == ProbeApp::kWebSocket});
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe", errno);
  impl->stop_r.reset(fds[0]);
  impl->stop_w.reset(fds[1]);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<ProbeServer>(new ProbeServer(std::move(impl)));
}

}  // namespace egret::lab
