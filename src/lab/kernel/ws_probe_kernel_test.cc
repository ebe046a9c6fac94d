// The WebSocket probe (server and client) against the real kernel (root only), in throwaway
// namespaces: holds with echoes, parallel connections, a plain server, a bad request, and a
// server that resets or goes silent in the middle of a hold.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <thread>

#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "lab/probe.h"
#include "lab/sockaddr.h"
#include "lab/ws_frame.h"
#include "lab/ws_server_session.h"

namespace egret::lab {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

using std::chrono::milliseconds;

constexpr int kWsPort = 8080;
constexpr int kTcpPort = 8081;
constexpr int kFakePort = 9090;

model::IpAddress Ip(std::string_view s) { return *model::IpAddress::Parse(s); }

std::unique_ptr<ProbeServer> ServeIn(const netns::NetNs& ns) {
  std::unique_ptr<ProbeServer> server;
  Status st = netns::RunIn(ns, [&]() -> Status {
    auto s = ProbeServer::Start({{model::Protocol::kTCP, kWsPort, "", ProbeApp::kWebSocket},
                                 {model::Protocol::kTCP, kTcpPort, ""}});
    if (!s.ok()) return s.status();
    server = std::move(*s);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return server;
}

ProbeRequest WsRequest(std::string_view ip, int port, milliseconds hold,
                       milliseconds timeout = milliseconds(1000)) {
  return {.protocol = model::Protocol::kTCP,
          .address = Ip(ip),
          .port = port,
          .timeout = timeout,
          .app = ProbeApp::kWebSocket,
          .hold = hold};
}

ProbeResult ProbeIn(const netns::NetNs& ns, const ProbeRequest& r) {
  return RunProbes({{ns.fd(), r}}, 1).front();
}

// A blocking TCP socket made inside `ns` (it stays there), with 5 s send/receive timeouts.
UniqueFd SocketIn(const netns::NetNs& ns) {
  UniqueFd fd;
  Status st = netns::RunIn(ns, [&]() -> Status {
    fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    return fd.valid() ? Status::Ok() : ErrnoError("socket", errno);
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  timeval tv{5, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

bool Bind(int fd, std::string_view ip, int port) {
  socklen_t len = 0;
  sockaddr_storage sa = ToSockaddr(Ip(ip), port, &len);
  return ::bind(fd, reinterpret_cast<sockaddr*>(&sa), len) == 0;
}

bool Connect(int fd, std::string_view ip, int port) {
  socklen_t len = 0;
  sockaddr_storage sa = ToSockaddr(Ip(ip), port, &len);
  return ::connect(fd, reinterpret_cast<sockaddr*>(&sa), len) == 0;
}

TEST(KernelLabWebSocket, HoldsTheConnectionWithEchoesOverLoopback) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-lo");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto server = ServeIn(ns->ns());
  ASSERT_TRUE(server);
  // Echoes at 0, 100, 200 and 300 ms of a 350 ms hold.
  ProbeResult v4 = ProbeIn(ns->ns(), WsRequest("127.0.0.1", kWsPort, milliseconds(350)));
  EXPECT_TRUE(v4.connected) << v4.error;
  EXPECT_EQ(v4.source, "127.0.0.1");
  EXPECT_EQ(v4.echoes, 4);
  EXPECT_GE(v4.held_ms, 350);
  ProbeResult v6 = ProbeIn(ns->ns(), WsRequest("::1", kWsPort, milliseconds(0)));
  EXPECT_TRUE(v6.connected) << v6.error;
  EXPECT_EQ(v6.source, "::1");
  EXPECT_EQ(v6.echoes, 0);
  // The plain TCP port of the same server still answers with its line.
  ProbeResult tcp = ProbeIn(
      ns->ns(), {.protocol = model::Protocol::kTCP, .address = Ip("127.0.0.1"), .port = kTcpPort});
  EXPECT_TRUE(tcp.connected) << tcp.error;
}

TEST(KernelLabWebSocket, ServesManyHeldConnectionsAtOnce) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-many");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto server = ServeIn(ns->ns());
  ASSERT_TRUE(server);
  std::vector<ProbeTask> tasks(16,
                               {ns->ns().fd(), WsRequest("127.0.0.1", kWsPort, milliseconds(300))});
  for (const ProbeResult& r : RunProbes(tasks, 16)) {
    EXPECT_TRUE(r.connected) << r.error;
    EXPECT_EQ(r.echoes, 3);
  }
}

TEST(KernelLabWebSocket, AWsProbeToAPlainPortFailsInTheHandshake) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-plain");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto server = ServeIn(ns->ns());
  ASSERT_TRUE(server);
  ProbeResult r = ProbeIn(ns->ns(), WsRequest("127.0.0.1", kTcpPort, milliseconds(500)));
  EXPECT_FALSE(r.connected);
  EXPECT_EQ(r.source, "");
  // The plain port's answer line shows in the error.
  EXPECT_NE(r.error.find("during the handshake; it sent \"127.0.0.1\\n\""), std::string::npos)
      << r.error;
  ProbeResult refused = ProbeIn(ns->ns(), WsRequest("127.0.0.1", 9, milliseconds(0)));
  EXPECT_EQ(refused.error, "connection refused");
}

TEST(KernelLabWebSocket, ABadRequestGets400AndTheConnectionCloses) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-400");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto server = ServeIn(ns->ns());
  ASSERT_TRUE(server);
  UniqueFd fd = SocketIn(ns->ns());
  ASSERT_TRUE(Connect(fd.get(), "127.0.0.1", kWsPort));
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Version: 13\r\n\r\n";
  ASSERT_EQ(::send(fd.get(), req.data(), req.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[1024];
  ssize_t n;
  while ((n = ::recv(fd.get(), buf, sizeof(buf), 0)) > 0) got.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(n, 0) << "the server did not close (errno " << errno << ")";
  EXPECT_TRUE(got.starts_with("HTTP/1.1 400 Bad Request\r\n")) << got;
  EXPECT_TRUE(got.ends_with("\r\n\r\nUpgrade is not websocket\n")) << got;
}

// A server that upgrades, echoes `echoes` frames and then resets the connection (reset) or
// swallows every further frame (!reset). Serves one connection on `listen_fd`.
void ServeThenMisbehave(int listen_fd, int echoes, bool reset) {
  pollfd p{listen_fd, POLLIN, 0};
  if (::poll(&p, 1, 5000) != 1) return;
  UniqueFd conn(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  WsServerSession session("192.0.2.1");
  std::string in;
  int sent = 0;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(conn.get(), buf, sizeof(buf), 0)) > 0) {
    if (!session.upgraded()) {
      session.Receive(std::string_view(buf, static_cast<size_t>(n)));
      std::string out = session.TakeOutput();
      (void)!::send(conn.get(), out.data(), out.size(), MSG_NOSIGNAL);
      continue;
    }
    in.append(buf, static_cast<size_t>(n));
    for (WsDecoded d; (d = DecodeWsFrame(in, {})).kind == WsDecoded::Kind::kFrame;) {
      in.erase(0, d.consumed);
      if (sent == echoes && reset) {
        linger l{1, 0};  // close with a reset
        ::setsockopt(conn.get(), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
        return;
      }
      if (sent == echoes) continue;
      std::string echo = EncodeWsFrame(d.frame.opcode, d.frame.payload);
      (void)!::send(conn.get(), echo.data(), echo.size(), MSG_NOSIGNAL);
      ++sent;
    }
  }
}

ProbeResult ProbeMisbehaving(const netns::NetNs& ns, int echoes, bool reset) {
  UniqueFd listener = SocketIn(ns);
  int on = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  EXPECT_TRUE(Bind(listener.get(), "127.0.0.1", kFakePort));
  EXPECT_EQ(::listen(listener.get(), 4), 0);
  std::thread fake(ServeThenMisbehave, listener.get(), echoes, reset);
  ProbeResult r =
      ProbeIn(ns, WsRequest("127.0.0.1", kFakePort, milliseconds(1000), milliseconds(300)));
  fake.join();
  return r;
}

TEST(KernelLabWebSocket, AResetDuringTheHoldIsAFailure) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-reset");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  ProbeResult r = ProbeMisbehaving(ns->ns(), 2, /*reset=*/true);
  EXPECT_FALSE(r.connected);
  EXPECT_EQ(r.source, "");
  EXPECT_EQ(r.echoes, 2);
  EXPECT_EQ(r.error, "connection reset by peer during the hold, after 2 echoes");
}

TEST(KernelLabWebSocket, AMissingEchoIsAFailure) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("ws-silent");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  ProbeResult r = ProbeMisbehaving(ns->ns(), 3, /*reset=*/false);
  EXPECT_FALSE(r.connected);
  EXPECT_EQ(r.echoes, 3);
  EXPECT_EQ(r.error, "echo 4 missing after 300 ms during the hold, after 3 echoes");
  EXPECT_GE(r.held_ms, 300 + 300);
}

}  // namespace
}  // namespace egret::lab
