// EgressView: this node's egress state (core/egress/node_state.h) as the controller computes
// it, followed over the watchEgress stream and persisted (StateFollower): a restarted agent
// programs egress from disk while the controller is away.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "agent/state_follower.h"
#include "core/egress/node_state.h"

namespace egret::agent {

struct EgressSnapshot {
  core::egress::NodeEgressState state;
  bool known = false;            // false: nothing received or persisted yet
  bool from_controller = false;  // false: loaded from disk, not yet confirmed
};

class EgressView {
 public:
  // `on_change` runs on the view's thread after every state received.
  EgressView(api::Address server, std::string token, std::string node, std::string state_path,
             std::function<void()> on_change);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }
  EgressSnapshot Snapshot() const;

 private:
  StatusOr<bool> Accept(const doc::Value& state, bool from_disk);

  mutable std::mutex mu_;
  EgressSnapshot snap_;
  StateFollower follower_;  // last: its thread uses the members above
};

}  // namespace egret::agent
