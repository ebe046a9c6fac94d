#include "core/egress/status.h"

#include <map>

#include "common/strings.h"
#include "core/egress/placement.h"

namespace egret::core::egress {
namespace {

std::optional<std::string> Active(const EgressPlan& plan, std::optional<size_t> target,
                                  const AliveFn& alive) {
  if (!target) return std::nullopt;
  return ActiveNode(plan.targets[*target].candidates, alive);
}

}  // namespace

AliveFn ReadyNodes(const EgressPlan& plan) {
  return [&plan](std::string_view node) { return plan.NodeIsReady(node); };
}

model::EgressPolicyStatus PolicyStatus(const EgressPlan& plan, const PolicyOutcome& policy,
                                       const AliveFn& alive) {
  model::EgressPolicyStatus s;
  if (policy.mode == EipMode::kEip) {
    s.eip_ipv4 = policy.eip.ipv4;
    s.eip_ipv6 = policy.eip.ipv6;
  }
  s.node = Active(plan, policy.target, alive).value_or("");
  s.conditions.push_back(PolicyReadyCondition(policy));  // lastTransitionTime: the caller's
  return s;
}

model::EgressGatewayStatus GatewayStatus(const EgressPlan& plan, const GatewayOutcome& gateway,
                                         const AliveFn& alive) {
  std::map<size_t, std::vector<model::EgressPolicyRef>> users;  // target -> policies
  for (size_t pi : gateway.policies) {
    const PolicyOutcome& p = plan.policies[pi];
    if (p.target) users[*p.target].push_back(p.id.Ref());  // policies are in PolicyId order
  }
  std::map<std::string, model::EgressGatewayNodeStatus> nodes;
  for (const std::string& name : gateway.nodes.matching) {
    model::EgressGatewayNodeStatus& n = nodes[name];
    n.name = name;
    n.ready = alive(name);
  }
  std::map<std::string, model::EgressGatewayEip> node_ip;  // per node: useNodeIP policies
  for (size_t t : gateway.targets) {
    std::optional<std::string> on = Active(plan, t, alive);
    if (!on || !nodes.count(*on)) continue;
    const EgressTarget& target = plan.targets[t];
    if (target.use_node_ip()) {
      for (const auto& ref : users[t]) node_ip[*on].policies.push_back(ref);
      continue;
    }
    model::EgressGatewayEip eip;
    eip.ipv4 = target.eip.ipv4;
    eip.ipv6 = target.eip.ipv6;
    eip.policies = users[t];
    nodes[*on].eips.push_back(std::move(eip));
  }
  model::EgressGatewayStatus s;
  s.ip_usage = gateway.usage;
  for (auto& [name, n] : nodes) {
    if (auto it = node_ip.find(name); it != node_ip.end()) n.eips.push_back(it->second);
    s.node_list.push_back(std::move(n));
  }
  return s;
}

model::Condition PolicyReadyCondition(const PolicyOutcome& policy) {
  model::Condition c;
  c.type = "Ready";
  if (policy.problems.empty()) {
    c.status = model::ConditionStatus::kTrue;
    c.reason = "Applied";
    c.message = "traffic leaves through EgressGateway " + Quote(policy.gateway) +
                (policy.mode == EipMode::kNodeIp ? " with the gateway node's address"
                                                 : " with EIP " + policy.eip.ToString());
    return c;
  }
  c.status = model::ConditionStatus::kFalse;
  c.reason = policy.problems.front().reason;
  std::vector<std::string> messages;
  for (const PolicyProblem& p : policy.problems) messages.push_back(p.message);
  c.message = Join(messages, "; ");
  return c;
}

}  // namespace egret::core::egress
