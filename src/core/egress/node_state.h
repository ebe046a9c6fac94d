// The egress state one node's agent programs, as pure values: the steering rows for the pods on
// the node (source node role) and the SNAT duties it has as a candidate gateway node (gateway
// role). A node can have both roles. The agent renders them into nftables maps and sets, ip
// rules and routes (docs/design/egress.md, "Per-node state"); it decides on its own, from
// heartbeats, which candidate is active (ActiveNode in placement.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/egress/plan.h"
#include "core/egress/steering.h"

namespace egret::core::egress {

// Traffic from `source` to `destination` leaves through `target` (an index into
// NodeEgressState::targets). For one source the destinations are disjoint.
struct SteeringRow {
  model::IpAddress source;
  model::IpRange destination;
  size_t target = 0;
  PolicyId policy;  // the policy that won this destination (for status, metrics, debugging)
  DestinationKind kind = DestinationKind::kDestSubnet;
  friend bool operator==(const SteeringRow&, const SteeringRow&) = default;
};

// Traffic from any of `sources` to any of `destinations` (one family) is SNATed for a target.
struct SnatMatch {
  std::vector<model::IpAddress> sources;     // sorted
  std::vector<model::IpRange> destinations;  // disjoint, sorted
  friend bool operator==(const SnatMatch&, const SnatMatch&) = default;
};

// What the node does while it is the active candidate of `target`: holds and announces the
// target's EIPs (none for useNodeIP) and SNATs the matched traffic to them (or to its own
// address for useNodeIP). Installed on every candidate, so a takeover needs no controller.
struct SnatDuty {
  size_t target = 0;                      // into NodeEgressState::targets
  std::vector<SnatMatch> matches;         // one per source class; may be empty (no pods yet)
  std::vector<std::string> source_nodes;  // nodes the sources run on (reply routes), sorted
  friend bool operator==(const SnatDuty&, const SnatDuty&) = default;
};

struct NodeEgressState {
  std::string node;
  std::vector<EgressTarget> targets;  // those the rows and duties use, sorted (gateway, key)
  std::vector<SteeringRow> steering;  // sorted by (source, destination)
  std::vector<SnatDuty> snat;         // sorted by target
  friend bool operator==(const NodeEgressState&, const NodeEgressState&) = default;
};

// Never fails; a node with no role gets an empty state.
NodeEgressState DesiredEgressForNode(const EgressPlan& plan, const EgressSteering& steering,
                                     std::string_view node);

}  // namespace egret::core::egress
