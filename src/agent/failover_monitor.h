// FailoverMonitor: this node's view of which nodes are alive, from UDP heartbeats over the
// underlay (adapters/heartbeat + core/liveness). Every agent beats to every other node every
// interval and tracks the beats it receives; a node silent for miss_count intervals is dead, a
// returning one is held down before it counts as alive again (docs/design/liveness.md). No
// controller or datastore is on this path: it is what lets egress fail over in under a second.
//
// A beat counts only when it comes from one of the addresses the sending node registered
// (its Node object's InternalIP addresses): a datagram claiming another node's name is dropped.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/heartbeat/heartbeat_socket.h"
#include "common/background_thread.h"
#include "core/liveness/liveness_tracker.h"

namespace egret::agent {

struct PeerAddresses {
  std::string node;
  std::vector<model::IpAddress> addresses;  // the first is the one beats are sent to
};

struct FailoverOptions {
  std::string self;
  uint16_t port = 7947;
  liveness::LivenessConfig liveness;
  // A restarted agent (it finds state of a previous run) counts itself as held down, as its
  // peers do when they see its new boot id — counting from the first beat it hears, when they
  // can hear it too — a little longer than they do (two intervals) so that the previous holder
  // has released an EIP before this node takes it back. The same
  // applies after the node was cut off (it heard none of two or more peers).
  bool self_hold_down = false;
};

class FailoverMonitor {
 public:
  using PeersFn = std::function<std::vector<PeerAddresses>()>;
  // Binds the heartbeat socket (all addresses, both families) in the caller's namespace.
  static StatusOr<std::unique_ptr<FailoverMonitor>> Create(FailoverOptions options, PeersFn peers,
                                                           std::function<void()> on_change);
  ~FailoverMonitor() { Stop(); }

  void Start();
  void Stop();

  // Alive: this node itself (after its own hold-down and while not cut off, see
  // FailoverOptions); a peer the tracker says is Alive; a peer not heard of yet while
  // the monitor is younger than the dead-after time (a starting agent keeps using its gateways
  // rather than dropping their traffic until the first beats arrive).
  bool Alive(std::string_view node) const;
  // Every peer's state name ("Alive", "Dead", "HoldDown", "Unknown"), for status and tests.
  std::map<std::string, std::string> States() const;
  uint64_t rejected_beats() const { return rejected_; }

 private:
  FailoverMonitor(FailoverOptions options, heartbeat::HeartbeatSocket socket,
                  liveness::LivenessTracker tracker, PeersFn peers, std::function<void()> on_change)
      : options_(std::move(options)),
        socket_(std::move(socket)),
        tracker_(std::move(tracker)),
        peers_fn_(std::move(peers)),
        on_change_(std::move(on_change)) {}
  void Run();
  void Tick(int64_t now_ms, const std::vector<PeerAddresses>& peers);
  int64_t SelfHoldDownMs() const;
  bool Isolated(const std::vector<PeerAddresses>& peers,
                const liveness::LivenessReport& report) const;

  FailoverOptions options_;
  heartbeat::HeartbeatSocket socket_;
  liveness::LivenessTracker tracker_;
  PeersFn peers_fn_;
  std::function<void()> on_change_;
  int64_t started_ms_ = 0;
  int64_t self_hold_until_ms_ = 0;  // this node counts itself alive from then on
  bool isolated_ = false;            // loop thread only
  mutable std::mutex mu_;
  std::map<std::string, liveness::PeerState, std::less<>> states_;
  bool grace_ = true;
  bool self_ready_ = true;
  std::atomic<uint64_t> rejected_{0};
  BackgroundThread loop_;
};

}  // namespace egret::agent
