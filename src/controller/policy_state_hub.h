// PolicyStateHub: the per-node policy state (core/netpol/compiled.h) the PolicyController
// computes, held for the agents' watchPolicy streams, and what the agents report back having
// applied. Each node's entry gets a new version only when its own state changed, so an agent
// hears about the changes that concern it and nothing else.
//
// Realization: an agent reports (policyApplied) the version it has programmed into its kernel.
// A node has realized its current state when that version is at least the state's version; a
// policy is realized on the nodes of its placement (the nodes hosting a pod it selects) that
// have. Nodes forget their report when the controller restarts (versions start over), and
// report again on their next apply.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "controller/node_state_hub.h"
#include "core/netpol/compile.h"
#include "core/netpol/compiled.h"

namespace egret::controller {

// "realized on `realized` of `nodes.size()` nodes".
struct PolicyRealization {
  core::netpol::PolicyRef policy;
  std::vector<std::string> nodes;  // where it must be realized, sorted
  size_t realized = 0;
};

class PolicyStateHub {
 public:
  PolicyStateHub();

  // Replaces every node's state and the placement of every policy. A node not in `states` has
  // the empty state from now on.
  void Publish(const std::map<std::string, core::netpol::NodePolicyState>& states,
               std::vector<core::netpol::PolicyNodes> placement);

  // Every policy with its placement and realized count, sorted by policy.
  std::vector<PolicyRealization> Realization() const;

  // The states in their wire form, the agents' reports (NodeStateHub::ReportApplied).
  NodeStateHub& states() { return hub_; }
  void Close() { hub_.Close(); }

 private:
  NodeStateHub hub_;
  mutable std::mutex mu_;
  std::vector<core::netpol::PolicyNodes> placement_;
  // The states last published, to send member deltas (core/netpol/member_delta.h).
  std::map<std::string, core::netpol::NodePolicyState> last_;
};

}  // namespace egret::controller
