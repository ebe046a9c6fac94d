// Status values the controller writes back, computed from the plan: per policy its EIP and the
// gateway node carrying it, per gateway its nodes with the EIPs they carry and the policies
// using each, and the pool usage.
//
// "Carrying" is ActiveNode(candidates, alive): the controller passes what it knows about
// liveness (by default, the Ready condition of the Node objects, ReadyNodes below).
#pragma once

#include <functional>
#include <string_view>

#include "core/egress/plan.h"
#include "model/condition.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"

namespace egret::core::egress {

using AliveFn = std::function<bool(std::string_view node)>;

// Alive = Ready by the Node objects the plan was computed from. Keeps a reference to `plan`.
AliveFn ReadyNodes(const EgressPlan& plan);

// status.eip: the policy's EIPs (none for useNodeIP or when it has none); status.node: the
// active node of its target ("" when it has no target or no candidate is alive);
// status.conditions: PolicyReadyCondition, without lastTransitionTime (the core has no clock).
model::EgressPolicyStatus PolicyStatus(const EgressPlan& plan, const PolicyOutcome& policy,
                                       const AliveFn& alive);

// status.nodeList: every node the nodeSelector matches, by name, with ready = alive(node) and
// the EIPs whose target is active on it, in target key order, each with its policies (in
// PolicyId order); the useNodeIP policies active on the node come last, as one entry without
// addresses. status.ipUsage: the allocation's counts.
model::EgressGatewayStatus GatewayStatus(const EgressPlan& plan, const GatewayOutcome& gateway,
                                         const AliveFn& alive);

// A metav1-style condition of type "Ready" for a policy: True (reason "Applied") when it has no
// problem; else False with the first problem's reason and every problem's message joined by
// "; ". lastTransitionTime is left to the caller (the core has no clock).
model::Condition PolicyReadyCondition(const PolicyOutcome& policy);

}  // namespace egret::core::egress
