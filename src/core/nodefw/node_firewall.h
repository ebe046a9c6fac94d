// The node's base firewall: one nftables table, `inet egret`, rendered as a script that the
// nftables adapter applies in one transaction. Pure: values in, text out.
//
// The table holds named address sets and a fixed skeleton of chains. Base chains only jump into
// regular chains in a fixed order, so later features (egress steering marks, gateway SNAT,
// NetworkPolicy) fill their own regular chain without reordering anything
// (docs/design/nftables.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/net.h"

namespace egret::nodefw {

inline constexpr std::string_view kTableFamily = "inet";
inline constexpr std::string_view kTableName = "egret";

// What the base ruleset needs to know about the cluster and this node. Either family may be
// absent: an IPv4-only cluster simply has no IPv6 CIDRs (its IPv6 sets stay empty).
struct NodeFirewallConfig {
  std::vector<model::Cidr> cluster_pod_cidrs;     // every pod CIDR of the cluster
  std::vector<model::Cidr> node_pod_cidrs;        // this node's share; inside cluster_pod_cidrs
  std::vector<model::Cidr> service_cidrs;         // ClusterIP ranges
  std::vector<model::IpAddress> node_addresses;   // underlay addresses of all nodes
  std::vector<model::Cidr> extra_internal_cidrs;  // more destinations that are never masqueraded
  std::string pod_bridge = "egret0";              // the bridge this node's pods hang off
  // The egress datapath (core/egress/datapath.h), inserted verbatim: named sets and maps, and
  // the bodies of chains egress_mark and egress_snat. Empty: those chains stay empty.
  std::string egress_definitions;
  std::string egress_mark_rules;
  std::string egress_snat_rules;
  // NetworkPolicy (core/netpol/render_nft.h), inserted verbatim: sets, program chains and
  // dispatch maps, and the body of chain network_policy. Empty: no policy is enforced.
  std::string policy_definitions;
  std::string policy_rules;
};

// Checks what the renderer relies on; Invalid names every problem with its field path, e.g.
//   NodeFirewall "inet egret": nodePodCIDRs[0]: "10.9.0.0/24" is not inside any clusterPodCIDRs
Status ValidateNodeFirewallConfig(const NodeFirewallConfig& cfg);

// One nft script that atomically replaces table inet egret with the ruleset for `cfg` (creating
// it when absent) and touches no other table. Applying it twice yields the same ruleset; there
// is no moment in which the table is missing. Precondition: ValidateNodeFirewallConfig(cfg) is
// ok (otherwise the script may be rejected by nftables, which then changes nothing).
std::string RenderNodeFirewall(const NodeFirewallConfig& cfg);

// One nft script that removes table inet egret; succeeds also when the table is absent.
std::string RenderNodeFirewallDelete();

}  // namespace egret::nodefw
