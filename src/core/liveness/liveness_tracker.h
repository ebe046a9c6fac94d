// LivenessTracker: decides from received heartbeats which peers are Alive, Dead or held down.
// Pure: the caller passes the time (monotonic milliseconds) into every call, so tests drive it
// beat by beat and the agent drives it from its event loop.
//
// Rules (docs/design/liveness.md):
//  - A peer first heard of is Alive at once: a starting agent must not wait hold_down_ms before
//    it can use any gateway, and there is no history of flapping to guard against.
//  - A peer with no accepted beat for more than miss_count * interval_ms is Dead.
//  - A Dead peer that beats again is HoldDown; it becomes Alive once it has beaten continuously
//    for hold_down_ms. "Continuously" means no two accepted beats (nor the last beat and `now`)
//    are more than 2 * interval_ms apart, i.e. no beat was lost; a lost beat restarts the count.
//  - A beat with a new boot id is a restart: the peer is treated as returning (HoldDown, count
//    from this beat) even when it never looked Dead, since a restarted gateway lost its state.
//    Late beats of the boot id it replaced are dropped.
//  - Within one boot, a sequence not above the highest accepted one (duplicate, reordered,
//    replayed) is ignored and does not count as a beat.
// Time that goes backwards is treated as no time passing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::liveness {

struct LivenessConfig {
  int64_t interval_ms = 100;    // the senders' beat interval
  int miss_count = 3;           // consecutive missed beats that make a peer Dead
  int64_t hold_down_ms = 2000;  // continuous beating a returning peer needs to be Alive again
};

// kUnknown appears only as Transition::from, for a peer heard of for the first time.
enum class PeerState { kUnknown, kAlive, kDead, kHoldDown };
std::string_view PeerStateName(PeerState s);  // "Unknown", "Alive", "Dead", "HoldDown"

struct Transition {
  std::string peer;
  PeerState from = PeerState::kUnknown;
  PeerState to = PeerState::kUnknown;
  int64_t at_ms = 0;  // the `now_ms` of the call that noticed it

  friend bool operator==(const Transition&, const Transition&) = default;
};

struct LivenessReport {
  std::map<std::string, PeerState, std::less<>> states;  // every peer ever heard of
  std::vector<Transition> transitions;  // since the previous Evaluate, in the order they happened
};

class LivenessTracker {
 public:
  // Invalid unless interval_ms > 0, miss_count >= 1 and hold_down_ms >= 0.
  static StatusOr<LivenessTracker> Create(const LivenessConfig& config);

  // Records a beat received at now_ms. Duplicates and reordered beats are ignored (returns
  // false); an accepted beat returns true. Applies the time-based rules for this peer up to
  // now_ms first, so a beat after a long silence is a return even without an Evaluate between.
  bool Observe(std::string_view peer, int64_t now_ms, uint64_t sequence, uint64_t boot_id);

  // Applies the time-based rules to every peer at now_ms and returns the current states and the
  // transitions since the previous call (which are then cleared).
  LivenessReport Evaluate(int64_t now_ms);

  // The current state without advancing time; kUnknown for a peer never heard of.
  PeerState StateOf(std::string_view peer) const;

  const LivenessConfig& config() const { return config_; }

 private:
  struct Peer {
    PeerState state = PeerState::kUnknown;
    uint64_t boot_id = 0;
    uint64_t retired_boot_id = 0;  // the boot id a restart replaced; its late beats are dropped
    uint64_t last_sequence = 0;
    int64_t last_beat_ms = 0;
    int64_t streak_start_ms = 0;  // first beat of the current unbroken run (HoldDown)
  };

  explicit LivenessTracker(const LivenessConfig& config) : config_(config) {}
  int64_t dead_after_ms() const { return config_.interval_ms * config_.miss_count; }
  int64_t gap_ms() const { return 2 * config_.interval_ms; }
  void Advance(const std::string& name, Peer& peer, int64_t now_ms);
  void Accept(const std::string& name, Peer& peer, int64_t now_ms, uint64_t boot_id);
  void Move(const std::string& name, Peer& peer, PeerState to, int64_t now_ms);

  LivenessConfig config_;
  std::map<std::string, Peer, std::less<>> peers_;
  std::vector<Transition> pending_;
};

}  // namespace egret::liveness
