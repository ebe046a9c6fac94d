// EIP allocation for the policies of one gateway: which EIP(s) each policy's traffic leaves
// with, and how much of the gateway's pool is in use.
//
// Rules (docs/design/egress.md, "EIP allocation"):
//   - useNodeIP: no EIP; the gateway node SNATs to its own address.
//   - explicit egressIP.ipv4/ipv6: that address, when it lies in the gateway's pool of its
//     family (else EipNotInPool for that family). In dual stack a single explicit address
//     brings its partner (the address with the same index in the other pool).
//   - allocatorPolicy default: the gateway's default EIP (DefaultEip below); shared by every
//     such policy.
//   - allocatorPolicy rr: each policy its own slot (pool index; in dual stack the slot is a
//     v4/v6 partner pair). First, in PolicyId order, every rr policy keeps the slot of the EIP
//     its status reports if that slot is in the pool, is not the default EIP's slot and no
//     earlier rr policy kept it. Then, in PolicyId order, the others take the lowest slot that
//     nobody uses (not the default EIP's, not an explicit EIP's, not a kept one). None left:
//     PoolExhausted. So adding or deleting a policy never moves another policy's EIP.
// Never fails: a policy that gets no EIP carries a PolicyProblem instead.
#pragma once

#include <span>
#include <vector>

#include "core/egress/egress_types.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"

namespace egret::core::egress {

enum class EipMode {
  kNone,    // no EIP in any family: the policy is not in force (see problems)
  kEip,     // SNAT to `eip`
  kNodeIp,  // useNodeIP: SNAT to the address of the gateway node carrying the traffic
};

struct AllocationRequest {
  PolicyId id;
  model::EgressIpSpec egress_ip;
  EipPair previous;  // the EIPs the policy's stored status reports
};

struct EipAssignment {
  EipMode mode = EipMode::kNone;
  EipPair eip;  // kEip: the families that have an EIP; a missing one has a problem
  std::vector<PolicyProblem> problems;
  friend bool operator==(const EipAssignment&, const EipAssignment&) = default;
};

struct GatewayAllocation {
  EipPair default_eip;                     // DefaultEip(pools)
  std::vector<EipAssignment> assignments;  // one per request, in request order
  model::EgressGatewayIpUsage usage;       // free = pool addresses no assignment uses
};

// The gateway's default EIP per family: ipvXDefaultEIP when given (and in the pool); else, in
// dual stack, the partner of the other family's given default; else the pool's first address.
// A family without a pool has none.
EipPair DefaultEip(const model::EgressGatewayPools& pools);

GatewayAllocation AllocateEips(const model::EgressGateway& gateway,
                               std::span<const AllocationRequest> requests);

}  // namespace egret::core::egress
