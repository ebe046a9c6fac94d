// The egress datapath of one node as kernel objects and nftables text: what the agent programs
// from its NodeEgressState once it knows, from heartbeats, which candidate of each target is
// active. Pure: the agent applies the result (docs/design/egress.md, "Datapath").
//
// Source role (steering rows): one nftables map (source . destination) → mark per family, looked
// up once per packet in chain egress_mark. Target i of the state has mark (i + 1) << 20 under
// kEgressMarkMask; an ip rule sends that mark to routing table kEgressTableBase + i, whose
// default route leads to the target's active node: through the VXLAN device to the node's pod
// gateway address (encap), or to its underlay address (noencap). When this node is itself
// active the table stays empty and the lookup falls through to main. When no candidate is alive
// the mark is dropped: traffic of an egress policy never leaves with another address.
//
// Gateway role (SNAT duties of targets this node is active for): per duty and source class
// named sets of sources and destinations, and one rule SNATing to the EIP (masquerade for
// useNodeIP) in chain egress_snat, which runs at a priority before every other source NAT.
// Marked packets that no duty SNATs keep their source (a NAT binding to themselves), so no
// masquerade rule of anyone — Egret's node-IP masquerade included — rewrites traffic that is
// on its way to a gateway.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/egress/node_state.h"
#include "core/netplan/netplan.h"
#include "model/kernel.h"

namespace egret::core::egress {

inline constexpr uint32_t kEgressMarkShift = 20;
inline constexpr uint32_t kEgressMarkMask = 0x3ff00000;
inline constexpr uint32_t kMaxEgressTargets = 899;  // rules kEgressRuleBase.. stay in 10000–10999
inline constexpr uint32_t kEgressTableBase = 10100;
inline constexpr uint32_t kEgressRuleBase = 10100;
// Locally generated packets (the VXLAN device's outer packets among them, which inherit the
// inner packet's mark) look up main before any egress rule.
inline constexpr uint32_t kLocalRulePriority = 10000;

inline uint32_t EgressMark(size_t target) {
  return static_cast<uint32_t>(target + 1) << kEgressMarkShift;
}

struct EgressDatapathInput {
  const NodeEgressState* state = nullptr;
  std::string self;
  // Per target (index into state->targets): the active node, nullopt when none is alive.
  std::vector<std::optional<std::string>> active;
  core::netplan::Mode mode = core::netplan::Mode::kEncap;
  std::string underlay_device = "eth0";  // noencap next hops are on it
  // Every node, by name (the active nodes' addresses); null: none known.
  const std::map<std::string, core::netplan::NodeNet>* nodes = nullptr;
};

struct EgressDatapath {
  std::string nft_definitions;  // maps and sets, inside table inet egret
  std::string nft_mark_rules;   // the body of chain egress_mark
  std::string nft_snat_rules;   // the body of chain egress_snat
  std::vector<model::Rule> rules;
  std::vector<model::Route> routes;     // in the egress tables only
  std::vector<model::IpAddress> eips;   // to hold on the underlay device, sorted
  std::vector<std::string> problems;    // what could not be programmed, for logs and status
};

EgressDatapath PlanEgressDatapath(const EgressDatapathInput& in);

}  // namespace egret::core::egress
