#include "core/liveness/liveness_tracker.h"

#include <algorithm>

namespace egret::liveness {

std::string_view PeerStateName(PeerState s) {
  switch (s) {
    case PeerState::kUnknown:
      return "Unknown";
    case PeerState::kAlive:
      return "Alive";
    case PeerState::kDead:
      return "Dead";
    case PeerState::kHoldDown:
      return "HoldDown";
  }
  return "Unknown";
}

StatusOr<LivenessTracker> LivenessTracker::Create(const LivenessConfig& config) {
  if (config.interval_ms <= 0) {
    return InvalidError("liveness: interval_ms is " + std::to_string(config.interval_ms) +
                        ", must be > 0");
  }
  if (config.miss_count < 1) {
    return InvalidError("liveness: miss_count is " + std::to_string(config.miss_count) +
                        ", must be >= 1");
  }
  if (config.hold_down_ms < 0) {
    return InvalidError("liveness: hold_down_ms is " + std::to_string(config.hold_down_ms) +
                        ", must be >= 0");
  }
  return LivenessTracker(config);
}

void LivenessTracker::Move(const std::string& name, Peer& peer, PeerState to, int64_t now_ms) {
  if (peer.state == to) return;
  pending_.push_back(Transition{.peer = name, .from = peer.state, .to = to, .at_ms = now_ms});
  peer.state = to;
}

void LivenessTracker::Advance(const std::string& name, Peer& peer, int64_t now_ms) {
  int64_t silent = std::max<int64_t>(0, now_ms - peer.last_beat_ms);
  if (peer.state != PeerState::kDead && silent > dead_after_ms()) {
    Move(name, peer, PeerState::kDead, now_ms);
    return;
  }
  // A HoldDown peer is promoted only while its run is unbroken up to now.
  if (peer.state == PeerState::kHoldDown && silent <= gap_ms() &&
      peer.last_beat_ms - peer.streak_start_ms >= config_.hold_down_ms) {
    Move(name, peer, PeerState::kAlive, now_ms);
  }
}

void LivenessTracker::Accept(const std::string& name, Peer& peer, int64_t now_ms,
                             uint64_t boot_id) {
  bool restarted = peer.state != PeerState::kUnknown && boot_id != peer.boot_id;
  bool gap = now_ms - peer.last_beat_ms > gap_ms();
  if (restarted) {
    peer.retired_boot_id = peer.boot_id;
    peer.boot_id = boot_id;
    peer.streak_start_ms = now_ms;
    Move(name, peer, PeerState::kHoldDown, now_ms);
  } else if (peer.state == PeerState::kUnknown) {
    peer.boot_id = boot_id;
    Move(name, peer, PeerState::kAlive, now_ms);
  } else if (peer.state == PeerState::kDead) {
    peer.streak_start_ms = now_ms;
    Move(name, peer, PeerState::kHoldDown, now_ms);
  } else if (peer.state == PeerState::kHoldDown && gap) {
    peer.streak_start_ms = now_ms;  // a lost beat: the run starts again
  }
  peer.last_beat_ms = std::max(peer.last_beat_ms, now_ms);
}

bool LivenessTracker::Observe(std::string_view peer_name, int64_t now_ms, uint64_t sequence,
                              uint64_t boot_id) {
  auto it = peers_.find(peer_name);
  if (it == peers_.end()) it = peers_.emplace(std::string(peer_name), Peer{}).first;
  Peer& peer = it->second;
  if (peer.state != PeerState::kUnknown) {
    if (boot_id == peer.retired_boot_id && boot_id != peer.boot_id) return false;
    if (boot_id == peer.boot_id && sequence <= peer.last_sequence) return false;
    Advance(it->first, peer, now_ms);
  }
  Accept(it->first, peer, now_ms, boot_id);
  peer.last_sequence = sequence;
  Advance(it->first, peer, now_ms);  // hold_down_ms == 0 promotes at once
  return true;
}

LivenessReport LivenessTracker::Evaluate(int64_t now_ms) {
  LivenessReport report;
  for (auto& [name, peer] : peers_) {
    Advance(name, peer, now_ms);
    report.states.emplace(name, peer.state);
  }
  report.transitions = std::move(pending_);
  pending_.clear();
  return report;
}

PeerState LivenessTracker::StateOf(std::string_view peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? PeerState::kUnknown : it->second.state;
}

}  // namespace egret::liveness
