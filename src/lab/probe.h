// Probes: the lab's way of asking "can A reach B, and as whom does B see A?". A probe client
// connects (TCP) or sends a datagram (UDP) to a probe server, which answers with the source
// address it saw, as one text line ("10.244.1.5\n"). On a WebSocket port (ProbeApp::kWebSocket)
// the client upgrades an HTTP/1.1 connection, the source comes in the first frame as
// `{"source":"10.244.1.5"}`, and the client may hold the connection open, proving it alive
// with echoed frames. Both run in whatever network namespace their thread is in; RunProbes
// puts each probe's thread into its source's namespace.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/unique_fd.h"
#include "lab/lab_args.h"
#include "model/net.h"
#include "model/protocol.h"

namespace egret::lab {

struct ProbeRequest {
  model::Protocol protocol = model::Protocol::kTCP;  // kTCP for WebSocket
  model::IpAddress address;
  int port = 0;
  // How long each wait may take: connecting and the answer; for WebSocket also each echo and
  // the answer to the close.
  std::chrono::milliseconds timeout{1000};
  ProbeApp app = ProbeApp::kSourceLine;
  // WebSocket only: how long to hold the connection open after the first frame, sending a
  // text frame every kWsEchoInterval (the first at once) and requiring its echo each time.
  std::chrono::milliseconds hold{0};
};

inline constexpr std::chrono::milliseconds kWsEchoInterval{100};

struct ProbeResult {
  // True only when the server's answer came back: the whole round trip worked. For WebSocket:
  // the handshake, the first frame, every echo of the hold and the closing handshake.
  bool connected = false;
  std::string source;  // the source address the server saw ("" when not connected)
  std::string error;   // why not connected: "timed out after 1000 ms", "connection refused", ...
  // WebSocket only: how long the connection was held after the first frame (also when it
  // broke during the hold), and how many echoes came back.
  int64_t held_ms = 0;
  int echoes = 0;
};

// One probe from the calling thread's namespace.
ProbeResult Probe(const ProbeRequest& request);

struct ProbeTask {
  int netns_fd = -1;  // the source's namespace; -1 = the caller's
  ProbeRequest request;
};

// Runs every task, at most `parallelism` at a time, each on a dedicated worker thread that
// joins the task's namespace first. Results are in task order.
std::vector<ProbeResult> RunProbes(const std::vector<ProbeTask>& tasks, int parallelism);

// The probe server: one thread answering every TCP connection and UDP datagram on its ports,
// and serving WebSocket on the `ws` ports (see ws_server_session.h; every wait there is
// bounded, see probe_ws_conn.h). Sockets are dual-stack ([::] with IPv4-mapped addresses, or
// 0.0.0.0 where IPv6 is off).
class ProbeServer {
 public:
  // Binds every port in the calling thread's namespace and starts serving.
  static StatusOr<std::unique_ptr<ProbeServer>> Start(const std::vector<ServePort>& ports);
  ~ProbeServer();  // stops and joins the thread
  ProbeServer(const ProbeServer&) = delete;
  ProbeServer& operator=(const ProbeServer&) = delete;

 private:
  struct Impl;
  explicit ProbeServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `egret lab serve --listen PORTS [--ready-fd N]`: serves until SIGTERM or SIGINT. Writes one
// byte to the ready fd once every port is bound.
int RunServeCommand(const std::vector<std::string>& args);

}  // namespace egret::lab
