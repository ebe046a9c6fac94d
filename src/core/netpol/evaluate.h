// The reference semantics of NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy
// as one plain function: is this connection allowed? It reads the objects directly, one
// connection at a time, and is the oracle the compiled form is tested against
// (docs/design/network-policy.md states every rule it follows).
//
// A connection is allowed when its source may send it (egress, judged for the source pod) and
// its destination may receive it (ingress, judged for the destination pod). An endpoint that is
// not a pod taking part in policy imposes nothing. Each direction is decided in tiers:
//   1. AdminNetworkPolicies selecting the pod, in AdminPrecedence order, rules in order: the
//      first matching rule decides (Allow / Deny), or Pass skips every remaining
//      AdminNetworkPolicy.
//   2. NetworkPolicies of the pod's namespace selecting it and isolating it in this direction:
//      if there is one, the union of their rules decides (a match allows, no match denies).
//   3. The BaselineAdminNetworkPolicy, when it selects the pod: the first matching rule decides.
//   4. Otherwise the connection is allowed.
// Replies of allowed connections are the datapath's concern (connection tracking), not this one.
#pragma once

#include <string>
#include <string_view>

#include "core/netpol/cluster.h"

namespace egret::core::netpol {

// The tier that decided one direction.
enum class Tier { kNone, kAdmin, kNetworkPolicy, kBaseline };
std::string_view TierName(Tier t);  // "none", "admin", "network-policy", "baseline"

struct DirectionVerdict {
  bool allowed = true;
  Tier tier = Tier::kNone;  // kNone: nothing decided, allowed by default
  // Why, for people: "AdminNetworkPolicy deny-y ingress[0]", "NetworkPolicy x/np: no rule
  // allows", "" when nothing decided.
  std::string reason;
  friend bool operator==(const DirectionVerdict&, const DirectionVerdict&) = default;
};

struct Verdict {
  bool allowed = true;       // egress.allowed && ingress.allowed
  DirectionVerdict egress;   // judged for the source pod
  DirectionVerdict ingress;  // judged for the destination pod
  friend bool operator==(const Verdict&, const Verdict&) = default;
};

// Never fails: objects are assumed decoded (defaults applied); values the decoder would have
// rejected are read as literally as possible. Cost: linear in the cluster's objects.
Verdict Allowed(const PolicyCluster& cluster, const Connection& conn);

}  // namespace egret::core::netpol
