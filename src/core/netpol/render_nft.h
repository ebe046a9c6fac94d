// The nftables form of a node's compiled policy (compiled.h): text fragments the agent places
// into table inet egret (core/nodefw). Pure: values in, text out.
//
// Enforcement point: chain network_policy, which the forward hook jumps to after accepting
// replies of established connections. Pod-to-pod traffic of one node crosses the pod bridge and,
// with br_netfilter, the inet forward hook too, so one place covers same-node and cross-node
// traffic in both network modes. Each node judges only its own pods: egress for sources it
// hosts, ingress for destinations it hosts.
//
//   network_policy:  ND accept; pending drop; `ip saddr vmap @np_egress4`, `ip daddr vmap
//                    @np_ingress4` (and ip6): one lookup per direction, whatever the number of
//                    pods or policies.
//   dispatch maps:   pod address -> `jump <chain>` of its direction program; directions that
//                    accept everything (DirectionProgram::AcceptsAll) have no entry.
//   program chains:  one regular chain per non-trivial tier (admin, network policy, baseline).
//                    Accept is `return` (the other direction is still to be judged), Drop is
//                    `drop`, NextTier is `goto` to the next tier's chain (`return` after the
//                    last). Chains are named after a hash of their text, so pods with equal
//                    programs share chains and a chain's name changes only with its rules.
//   sets:            per address set `<name>4` / `<name>6` (ipv4_addr / ipv6_addr); per port
//                    set `<name>4` / `<name>6` (addr . inet_proto . inet_service), matched as
//                    `ip daddr . meta l4proto . th dport @<name>4`. ipBlock ranges and port
//                    lists become anonymous (interval) sets in the rule.
//   pending:         np_pending4/6: addresses of pods this node plumbed that the state does
//                    not list yet (not computed by the controller): dropped both ways, so a new
//                    pod is never briefly unprotected.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/netpol/compiled.h"
#include "model/net.h"

namespace egret::core::netpol {

// A pod this node plumbed, from the agent's own records (CNI ADD): its addresses are known here
// before the Pod's status reaches the controller.
struct LocalPod {
  std::string namespace_;
  std::string name;
  std::vector<model::IpAddress> addresses;
  friend auto operator<=>(const LocalPod&, const LocalPod&) = default;
};

struct PolicyRenderInput {
  NodePolicyState state;
  std::vector<LocalPod> local_pods;
};

// Which address goes where: the element-level part of the rendering.
struct PolicyDispatch {
  std::map<model::IpAddress, std::string> ingress;  // address -> entry chain
  std::map<model::IpAddress, std::string> egress;
  std::map<model::IpAddress, std::string> pending;  // address -> "namespace/name"
  std::map<model::IpAddress, std::string> owner;    // address -> "namespace/name" (comments)
  friend bool operator==(const PolicyDispatch&, const PolicyDispatch&) = default;
};

struct PolicyNft {
  std::string definitions;  // sets, program chains, dispatch maps: inside table inet egret
  std::string rules;        // the body of chain network_policy
  PolicyDispatch dispatch;
  size_t chains = 0;  // program chains rendered
};

// The address of a pod is taken from the agent's records first (they are this node's truth:
// an address the state still lists for a deleted pod may belong to a new one), then from the
// state. A local pod the state does not list at all is pending.
PolicyNft RenderPolicy(const PolicyRenderInput& in);

// The dispatch of `in` alone (RenderPolicy(in).dispatch), cheaper.
PolicyDispatch DispatchOf(const PolicyRenderInput& in);

// Commands (outside any table block) that turn the elements of `before` into those of `after`
// in the applied table: deletions first, then additions. Only valid when both were rendered
// from the same state (the chains they name exist): the agent uses it for a pod plumbed between
// two full renders. Empty when nothing changes.
std::string RenderDispatchDelta(const PolicyDispatch& before, const PolicyDispatch& after);

// Names of the fixed objects, for tools and tests.
inline constexpr const char* kIngressMap4 = "np_ingress4";
inline constexpr const char* kIngressMap6 = "np_ingress6";
inline constexpr const char* kEgressMap4 = "np_egress4";
inline constexpr const char* kEgressMap6 = "np_egress6";
inline constexpr const char* kPendingSet4 = "np_pending4";
inline constexpr const char* kPendingSet6 = "np_pending6";

}  // namespace egret::core::netpol
