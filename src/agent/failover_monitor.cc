#include "agent/failover_monitor.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "common/log.h"

namespace egret::agent {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StatusOr<std::unique_ptr<FailoverMonitor>> FailoverMonitor::Create(
    FailoverOptions options, PeersFn peers, std::function<void()> on_change) {
  ASSIGN_OR_RETURN(liveness::LivenessTracker tracker,
                   liveness::LivenessTracker::Create(options.liveness));
  ASSIGN_OR_RETURN(uint64_t boot_id, heartbeat::NewBootId());
  heartbeat::Endpoint local{*model::IpAddress::Parse("::"), options.port};
  ASSIGN_OR_RETURN(heartbeat::HeartbeatSocket socket,
                   heartbeat::HeartbeatSocket::Bind(local, {options.self, boot_id}));
  return std::unique_ptr<FailoverMonitor>(new FailoverMonitor(
      std::move(options), std::move(socket), std::move(tracker), std::move(peers),
      std::move(on_change)));
}

void FailoverMonitor::Start() {
  started_ms_ = NowMs();
  // Held down until the first beat from a peer arrives (see Run): only then can the peers be
  // hearing this node too and start their own count.
  self_hold_until_ms_ = options_.self_hold_down ? INT64_MAX : 0;
  {
    std::lock_guard lock(mu_);
    self_ready_ = !options_.self_hold_down;
  }
  loop_.Start([this] { Run(); });
}

int64_t FailoverMonitor::SelfHoldDownMs() const {
  // Longer than the peers' hold-down by two intervals: the peers start counting at the first
  // beat they receive, up to an interval later than this node starts, and must have moved
  // their traffic and released the EIP before this node takes it (never two holders).
  return options_.liveness.hold_down_ms + 2 * options_.liveness.interval_ms;
}

bool FailoverMonitor::Isolated(const std::vector<PeerAddresses>& peers,
                               const liveness::LivenessReport& report) const {
  // With two or more peers and every one of them dead, the likelier story is that this node
  // lost the underlay, not that all others died: it must not hold EIPs the others take over.
  // (With one peer the two stories cannot be told apart; the peer's failure wins.)
  size_t others = 0, dead = 0;
  for (const PeerAddresses& p : peers) {
    if (p.node == options_.self) continue;
    ++others;
    auto it = report.states.find(p.node);
    if (it != report.states.end() && it->second == liveness::PeerState::kDead) ++dead;
  }
  return others >= 2 && dead == others;
}

void FailoverMonitor::Stop() { loop_.Stop(); }

bool FailoverMonitor::Alive(std::string_view node) const {
  std::lock_guard lock(mu_);
  if (node == options_.self) return self_ready_;
  auto it = states_.find(node);
  if (it == states_.end() || it->second == liveness::PeerState::kUnknown) return grace_;
  return it->second == liveness::PeerState::kAlive;
}

std::map<std::string, std::string> FailoverMonitor::States() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> out;
  for (const auto& [node, st] : states_) out[node] = std::string(liveness::PeerStateName(st));
  return out;
}

void FailoverMonitor::Run() {
  const std::chrono::milliseconds interval(options_.liveness.interval_ms);
  int64_t next_send = 0;
  // The peer list comes from the cluster view: refreshed once a second, or at once when a beat
  // names a node it does not know yet (a node that just joined).
  std::vector<PeerAddresses> peers;
  int64_t peers_at = -1'000'000;
  bool unknown_sender = false;
  while (!loop_.stopping()) {
    int64_t now = NowMs();
    if (unknown_sender || now - peers_at >= 1000) {
      peers = peers_fn_();
      peers_at = now;
      unknown_sender = false;
    }
    if (now >= next_send) {
      std::vector<heartbeat::Endpoint> to;
      for (const PeerAddresses& p : peers) {
        if (p.node != options_.self && !p.addresses.empty()) {
          to.push_back({p.addresses.front(), options_.port});
        }
      }
      // A lost beat is what the receivers tolerate; a failing peer must not stop the others.
      (void)socket_.SendTo(to);
      next_send = now + interval.count();
    }
    auto wait = std::chrono::milliseconds(std::clamp<int64_t>(next_send - NowMs(), 1, 50));
    auto beats = socket_.Receive(wait);
    now = NowMs();
    if (beats.ok()) {
      for (const heartbeat::ReceivedBeat& b : *beats) {
        auto peer = std::find_if(peers.begin(), peers.end(), [&](const PeerAddresses& p) {
          return p.node == b.beat.node;
        });
        bool known = peer != peers.end() &&
                     std::find(peer->addresses.begin(), peer->addresses.end(),
                               b.source.address) != peer->addresses.end();
        if (!known || b.beat.node == options_.self) {
          unknown_sender |= peer == peers.end();
          ++rejected_;
          continue;
        }
        tracker_.Observe(b.beat.node, now, b.beat.sequence, b.beat.boot_id);
        if (self_hold_until_ms_ == INT64_MAX) self_hold_until_ms_ = now + SelfHoldDownMs();
      }
    }
    Tick(now, peers);
  }
}

void FailoverMonitor::Tick(int64_t now_ms, const std::vector<PeerAddresses>& peers) {
  liveness::LivenessReport report = tracker_.Evaluate(now_ms);
  bool grace = now_ms - started_ms_ <
               options_.liveness.interval_ms * options_.liveness.miss_count;
  // Alone in the cluster: no peer will ever beat; the hold-down counts from the start.
  if (self_hold_until_ms_ == INT64_MAX && peers.size() <= 1) {
    self_hold_until_ms_ = started_ms_ + SelfHoldDownMs();
  }
  const bool isolated = Isolated(peers, report);
  if (isolated && !isolated_) {
    EGRET_LOG(kWarn, "failover") << "every other node is silent: this node is cut off and "
                                    "releases its EIPs until it hears them again";
  }
  if (!isolated && isolated_) {
    // Back: the others see this node return and hold it down; so does this node.
    self_hold_until_ms_ = now_ms + SelfHoldDownMs();
  }
  isolated_ = isolated;
  bool self_ready = !isolated && now_ms >= self_hold_until_ms_;
  bool changed = !report.transitions.empty();
  {
    std::lock_guard lock(mu_);
    changed |= grace != grace_ || self_ready != self_ready_;
    if (self_ready && !self_ready_) {
      EGRET_LOG(kInfo, "failover") << "this node's own hold-down is over: it may carry EIPs";
    }
    grace_ = grace;
    self_ready_ = self_ready;
    states_.clear();
    for (const PeerAddresses& p : peers) {
      if (p.node != options_.self) states_[p.node] = liveness::PeerState::kUnknown;
    }
    for (const auto& [node, st] : report.states) {
      if (states_.contains(node)) states_[node] = st;
    }
  }
  for (const liveness::Transition& t : report.transitions) {
    EGRET_LOG(kInfo, "failover") << "node " << t.peer << ": " << liveness::PeerStateName(t.from)
                                 << " -> " << liveness::PeerStateName(t.to);
  }
  if (changed && on_change_) on_change_();
}

}  // namespace egret::agent
