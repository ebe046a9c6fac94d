// Steering: which pod traffic goes to which target, cluster-wide, as tables the datapath can
// look up once per packet.
//
// Destinations. A policy claims, per family, its destSubnet CIDRs of that family, or when
// destSubnet is empty "external": every address that is not internal (InternalDestinations).
// Internal addresses are never steered, whatever destSubnet says. A policy claims nothing in a
// family it is not in force for (no EIP of that family, no target; PolicyOutcome::InForce).
//
// Overlaps. Where the claims of several policies selecting one pod overlap, each address goes
// to the claim that comes first in this order:
//   1. higher spec.priority;
//   2. the more specific claim: a longer destSubnet prefix; "external" ranks below /0;
//   3. PolicyId order: EgressPolicy before EgressClusterPolicy, then namespace, then name.
// The result per pod and family is a list of disjoint address ranges, each with one policy,
// so one interval lookup (source . destination) finds the answer.
//
// Pods selected by the same in-force policies share one table (a SteeringClass), computed once.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/egress/plan.h"
#include "core/egress/range_set.h"

namespace egret::core::egress {

enum class DestinationKind { kDestSubnet, kExternal };

struct DestinationRow {
  model::IpRange range;
  size_t policy = 0;  // into EgressPlan::policies
  DestinationKind kind = DestinationKind::kDestSubnet;
  friend bool operator==(const DestinationRow&, const DestinationRow&) = default;
};

// Every address of `family` minus the internal destinations.
RangeSet SteerableSpace(const InternalDestinations& internal, model::Family family);

// The winner per destination among `policies` (indexes into plan.policies, each in force for
// `family`), within `steerable`. Rows are disjoint, sorted by address, and adjacent rows of one
// policy and kind are merged.
std::vector<DestinationRow> ResolveDestinations(const EgressPlan& plan,
                                                std::span<const size_t> policies,
                                                model::Family family, const RangeSet& steerable);

struct SteeringClass {
  model::Family family = model::Family::kV4;
  std::vector<size_t> policies;       // the in-force policies selecting its pods, ascending
  std::vector<DestinationRow> table;  // ResolveDestinations of them; never empty
};

// One pod address whose traffic is steered.
struct SteeredSource {
  model::IpAddress ip;
  std::string node;
  std::string pod_namespace;
  std::string pod_name;
  size_t steering_class = 0;  // into EgressSteering::classes
};

struct EgressSteering {
  std::vector<SteeringClass> classes;
  std::vector<SteeredSource> sources;              // sorted by (node, ip)
  std::vector<std::vector<size_t>> class_sources;  // per class, its sources (indexes), ascending
};

// Pod addresses with no in-force policy, or whose policies claim nothing, are not steered
// (their traffic leaves with the node's address as before). Never fails.
EgressSteering CompileSteering(const EgressPlan& plan, const EgressCluster& cluster);

}  // namespace egret::core::egress
