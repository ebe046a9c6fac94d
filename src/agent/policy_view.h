// PolicyView: this node's policy state (core/netpol/compiled.h) as the controller computes it,
// followed over the watchPolicy stream and persisted (StateFollower): a restarted agent
// enforces policy from disk while the controller is away. It also carries the agent's reports
// back: once the agent has programmed a version, ReportApplied has the follower send a
// policyApplied request (the controller counts realized nodes).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "agent/state_follower.h"
#include "core/netpol/compiled.h"

namespace egret::agent {

struct PolicySnapshot {
  core::netpol::NodePolicyState state;
  bool known = false;            // false: nothing received or persisted yet
  bool from_controller = false;  // false: loaded from disk, not yet confirmed
  int64_t version = 0;           // the controller's version of `state`; 0 when from disk
};

class PolicyView {
 public:
  // `on_change` runs on the view's thread after every state received.
  PolicyView(api::Address server, std::string token, std::string node, std::string state_path,
             std::function<void()> on_change);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }
  PolicySnapshot Snapshot() const;

  // The agent has programmed `version` (of a snapshot from the controller): reported soon.
  void ReportApplied(int64_t version) { follower_.ReportApplied(version); }
  // How many member deltas (instead of whole states) the controller sent and were applied.
  int64_t deltas_received() const { return deltas_.load(); }

 private:
  StatusOr<bool> Accept(const doc::Value& state, int64_t version, bool from_disk);
  StatusOr<doc::Value> ApplyDelta(const doc::Value& delta, int64_t base, int64_t version);

  mutable std::mutex mu_;
  PolicySnapshot snap_;
  std::atomic<int64_t> deltas_{0};
  StateFollower follower_;  // last: its thread uses the members above
};

}  // namespace egret::agent
