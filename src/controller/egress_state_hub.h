// EgressStateHub: each node's egress state (core/egress/node_state.h) as the
// EgressStatusController computes it, for the agents' watchEgress streams (NodeStateHub holds
// it in its wire form).
#pragma once

#include <map>
#include <string>

#include "controller/node_state_hub.h"
#include "core/egress/node_state.h"

namespace egret::controller {

class EgressStateHub {
 public:
  EgressStateHub();

  // Replaces every node's state. A node not in `states` has the empty state from now on.
  void Publish(const std::map<std::string, core::egress::NodeEgressState>& states);

  NodeStateHub& states() { return hub_; }
  void Close() { hub_.Close(); }

 private:
  NodeStateHub hub_;
};

}  // namespace egret::controller
