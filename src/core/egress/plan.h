// The cluster-wide egress plan: for every policy its gateway and EIP, for every gateway its
// nodes and pool usage, and the targets traffic is steered to, each with its ordered candidate
// gateway nodes. Computed by the controller from the objects alone (pods do not change it);
// CompileSteering (steering.h) then adds the pods. Rules: docs/design/egress.md.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/egress/egress_types.h"
#include "core/egress/eip_allocator.h"
#include "core/egress/gateway_select.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"
#include "model/namespace.h"
#include "model/node.h"
#include "model/pod.h"

namespace egret::core::egress {

// Everything the egress decisions read, as the controller holds it in memory (stored objects
// with their stored status). The spans must outlive the call they are passed to, not its result.
struct EgressCluster {
  std::span<const model::EgressGateway> gateways;
  std::span<const model::EgressPolicy> policies;
  std::span<const model::EgressClusterPolicy> cluster_policies;
  std::span<const model::Namespace> namespaces;
  std::span<const model::Node> nodes;
  std::span<const model::Pod> pods;  // read by CompileSteering only
  InternalDestinations internal;     // read by CompileSteering only
};

// Where steered traffic goes: one gateway and one SNAT source address (or the gateway node's
// own address), carried by the first alive node of `candidates`.
struct EgressTarget {
  std::string gateway;
  // Unique per gateway: the EIP pair's text ("10.6.1.21/fd00::21"), or for useNodeIP
  // "node-ip:" and the policy ("node-ip:EgressPolicy/shop/app", "node-ip:EgressClusterPolicy/x").
  std::string key;
  EipPair eip;  // empty for useNodeIP
  // The placement unit: targets sharing an address (explicit EIPs that are not partners) are
  // one unit, so an address is never held by two nodes. Targets of a unit share candidates.
  std::string unit;
  std::vector<std::string> candidates;  // ready gateway nodes, in failover order
  bool use_node_ip() const { return eip.empty(); }
  friend bool operator==(const EgressTarget&, const EgressTarget&) = default;
};

struct PolicyOutcome {
  PolicyId id;
  model::EgressPolicySpec spec;
  std::string gateway;  // resolved gateway name; empty when no rule named one
  GatewaySource gateway_source = GatewaySource::kNone;
  EipMode mode = EipMode::kNone;
  EipPair eip;                   // mode kEip: the EIPs of each family that has one
  std::optional<size_t> target;  // into EgressPlan::targets; unset: not in force
  std::vector<PolicyProblem> problems;

  // In force for traffic of family f: it has a target and, unless useNodeIP, an EIP of f.
  bool InForce(model::Family f) const {
    return target.has_value() && (mode == EipMode::kNodeIp || eip.Of(f).has_value());
  }
};

struct GatewayOutcome {
  std::string name;
  GatewayNodes nodes;
  EipPair default_eip;
  model::EgressGatewayIpUsage usage;
  std::vector<size_t> policies;  // into EgressPlan::policies: every policy resolved to it
  std::vector<size_t> targets;   // into EgressPlan::targets
};

struct EgressPlan {
  std::vector<PolicyOutcome> policies;   // sorted by PolicyId
  std::vector<GatewayOutcome> gateways;  // sorted by name
  std::vector<EgressTarget> targets;     // sorted by (gateway, key)
  std::vector<std::string> ready_nodes;  // every Ready node of the cluster, sorted

  const PolicyOutcome* FindPolicy(const PolicyId& id) const;
  const GatewayOutcome* FindGateway(std::string_view name) const;
  bool NodeIsReady(std::string_view node) const;
};

// Never fails: problems are reported per policy (PolicyOutcome::problems). Stability comes
// from the stored status: rr EIPs from each policy's status.eip, first candidates from each
// gateway's status.nodeList (see eip_allocator.h and placement.h).
EgressPlan PlanEgress(const EgressCluster& cluster);

// The first-candidate memory PlanEgress reads from a gateway's stored status: for every EIP
// address and every useNodeIP target key, the node that held it.
std::map<std::string, std::string, std::less<>> PreviousHolders(
    const model::EgressGatewayStatus& status);

}  // namespace egret::core::egress
