#include "core/egress/plan.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "common/strings.h"
#include "core/egress/placement.h"

namespace egret::core::egress {
namespace {

using model::Family;
using model::IpAddress;

// A policy while the plan is built: its outcome and the EIPs its stored status reports.
struct Draft {
  PolicyOutcome out;
  EipPair previous;
};

EipPair StatusEip(const model::EgressPolicyStatus& s) { return {s.eip_ipv4, s.eip_ipv6}; }

std::vector<Draft> CollectPolicies(const EgressCluster& c) {
  std::vector<Draft> drafts;
  drafts.reserve(c.policies.size() + c.cluster_policies.size());
  auto add = [&](PolicyId id, const model::EgressPolicySpec& spec,
                 const model::EgressPolicyStatus& status) {
    Draft d;
    d.out.id = std::move(id);
    d.out.spec = spec;
    d.previous = StatusEip(status);
    drafts.push_back(std::move(d));
  };
  for (const model::EgressPolicy& p : c.policies) {
    add(PolicyId::Namespaced(p.metadata.namespace_, p.metadata.name), p.spec, p.status);
  }
  for (const model::EgressClusterPolicy& p : c.cluster_policies) {
    add(PolicyId::Cluster(p.metadata.name), p.spec, p.status);
  }
  std::sort(drafts.begin(), drafts.end(),
            [](const Draft& a, const Draft& b) { return a.out.id < b.out.id; });
  return drafts;
}

void ResolveGateways(const EgressCluster& c, std::vector<Draft>* drafts) {
  const GatewayDirectory dir(c.gateways);
  std::map<std::string_view, const std::map<std::string, std::string>*> ns_labels;
  for (const model::Namespace& ns : c.namespaces) ns_labels[ns.metadata.name] = &ns.metadata.labels;
  static const std::map<std::string, std::string> kNoLabels;
  for (Draft& d : *drafts) {
    PolicyOutcome& p = d.out;
    auto it = ns_labels.find(p.id.namespace_);
    const auto& labels = it == ns_labels.end() ? kNoLabels : *it->second;
    GatewayChoice choice = ResolveGateway(p.id, p.spec, labels, dir);
    p.gateway = choice.name;
    p.gateway_source = choice.source;
    if (choice.problem) p.problems.push_back(*choice.problem);
  }
}

std::string PolicyPath(const PolicyId& id) {
  return id.kind == PolicyKind::kEgressPolicy ? "EgressPolicy/" + id.namespace_ + "/" + id.name
                                              : "EgressClusterPolicy/" + id.name;
}

std::string NodeIpKey(const PolicyId& id) { return "node-ip:" + PolicyPath(id); }

EgressTarget MakeTarget(const std::string& gateway, const std::string& key, const EipPair& eip) {
  EgressTarget t;
  t.gateway = gateway;
  t.key = key;
  t.eip = eip;
  return t;
}

// Groups the EIP targets of one gateway that share an address into units; returns each
// target's unit key (its sorted addresses joined by ","). useNodeIP targets are their own unit.
std::vector<std::string> UnitKeys(const std::vector<EgressTarget>& targets) {
  std::vector<size_t> parent(targets.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::map<IpAddress, size_t> owner;
  for (size_t i = 0; i < targets.size(); ++i) {
    for (Family f : kFamilies) {
      if (!targets[i].eip.Of(f)) continue;
      auto [it, fresh] = owner.emplace(*targets[i].eip.Of(f), i);
      if (!fresh) parent[root(i)] = root(it->second);
    }
  }
  std::map<size_t, std::set<IpAddress>> addresses;
  for (const auto& [ip, i] : owner) addresses[root(i)].insert(ip);
  std::vector<std::string> keys(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].use_node_ip()) {
      keys[i] = targets[i].key;
      continue;
    }
    std::vector<std::string> parts;
    for (const IpAddress& ip : addresses[root(i)]) parts.push_back(ip.ToString());
    keys[i] = Join(parts, ",");
  }
  return keys;
}

// The node a unit was last placed on, by the stored status: any of its addresses.
std::map<std::string, std::string, std::less<>> PreviousUnits(
    const std::vector<std::string>& unit_keys, const model::EgressGatewayStatus& status) {
  std::map<std::string, std::string, std::less<>> holders = PreviousHolders(status);
  std::map<std::string, std::string, std::less<>> out;
  for (const std::string& unit : unit_keys) {
    if (auto it = holders.find(unit); it != holders.end()) {
      out[unit] = it->second;  // a useNodeIP unit, or a single-address unit
      continue;
    }
    for (std::string_view part : Split(unit, ',')) {
      if (auto it = holders.find(part); it != holders.end()) {
        out[unit] = it->second;
        break;
      }
    }
  }
  return out;
}

// Creates the gateway's targets (sorted by key), places their units on the ready nodes and
// links every in-force policy to its target.
void BuildTargets(const model::EgressGateway& gw, GatewayOutcome* g, EgressPlan* plan) {
  std::map<std::string, EgressTarget> by_key;
  for (size_t pi : g->policies) {
    const PolicyOutcome& p = plan->policies[pi];
    if (p.mode == EipMode::kEip) {
      by_key.try_emplace(p.eip.ToString(), MakeTarget(gw.metadata.name, p.eip.ToString(), p.eip));
    } else if (p.mode == EipMode::kNodeIp) {
      by_key.try_emplace(NodeIpKey(p.id), MakeTarget(gw.metadata.name, NodeIpKey(p.id), {}));
    }
  }
  std::vector<EgressTarget> targets;
  for (auto& [key, t] : by_key) targets.push_back(std::move(t));
  std::vector<std::string> units = UnitKeys(targets);
  std::vector<std::string> unique_units(units);
  std::sort(unique_units.begin(), unique_units.end());
  unique_units.erase(std::unique(unique_units.begin(), unique_units.end()), unique_units.end());
  std::vector<std::vector<std::string>> candidates =
      PlaceUnits(unique_units, g->nodes.ready, PreviousUnits(unique_units, gw.status));
  const size_t base = plan->targets.size();
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < targets.size(); ++i) {
    auto u = std::lower_bound(unique_units.begin(), unique_units.end(), units[i]);
    targets[i].unit = units[i];
    targets[i].candidates = candidates[static_cast<size_t>(u - unique_units.begin())];
    index[targets[i].key] = base + i;
    g->targets.push_back(base + i);
    plan->targets.push_back(std::move(targets[i]));
  }
  for (size_t pi : g->policies) {
    PolicyOutcome& p = plan->policies[pi];
    if (p.mode == EipMode::kNone) continue;
    p.target = index[p.mode == EipMode::kEip ? p.eip.ToString() : NodeIpKey(p.id)];
  }
}

std::string NoNodeMessage(const model::EgressGateway& gw, const GatewayNodes& nodes) {
  return "no Ready node of EgressGateway " + Quote(gw.metadata.name) + " (its nodeSelector " +
         "matches " + std::to_string(nodes.matching.size()) + " node(s)); the policy's traffic " +
         "is dropped until one is Ready";
}

void PlanGateway(const model::EgressGateway& gw, const EgressCluster& c,
                 const std::vector<EipPair>& previous, EgressPlan* plan) {
  GatewayOutcome g;
  g.name = gw.metadata.name;
  g.nodes = SelectGatewayNodes(gw, c.nodes);
  std::vector<AllocationRequest> requests;
  for (size_t i = 0; i < plan->policies.size(); ++i) {
    const PolicyOutcome& p = plan->policies[i];
    if (p.gateway != gw.metadata.name) continue;
    g.policies.push_back(i);
    requests.push_back(AllocationRequest{p.id, p.spec.egress_ip, previous[i]});
  }
  GatewayAllocation alloc = AllocateEips(gw, requests);
  g.default_eip = alloc.default_eip;
  g.usage = alloc.usage;
  for (size_t k = 0; k < g.policies.size(); ++k) {
    PolicyOutcome& p = plan->policies[g.policies[k]];
    EipAssignment& a = alloc.assignments[k];
    p.mode = a.mode;
    p.eip = a.eip;
    for (PolicyProblem& problem : a.problems) p.problems.push_back(std::move(problem));
  }
  BuildTargets(gw, &g, plan);
  for (size_t pi : g.policies) {
    PolicyOutcome& p = plan->policies[pi];
    if (!p.target || !plan->targets[*p.target].candidates.empty()) continue;
    p.problems.push_back({std::string(kReasonNoGatewayNode), NoNodeMessage(gw, g.nodes)});
  }
  plan->gateways.push_back(std::move(g));
}

}  // namespace

std::map<std::string, std::string, std::less<>> PreviousHolders(
    const model::EgressGatewayStatus& status) {
  std::map<std::string, std::string, std::less<>> out;
  for (const model::EgressGatewayNodeStatus& node : status.node_list) {
    for (const model::EgressGatewayEip& eip : node.eips) {
      if (eip.ipv4 || eip.ipv6) {
        for (const auto& ip : {eip.ipv4, eip.ipv6}) {
          if (ip) out.try_emplace(ip->ToString(), node.name);
        }
        continue;
      }
      for (const model::EgressPolicyRef& ref : eip.policies) {
        out.try_emplace(NodeIpKey(PolicyId::FromRef(ref)), node.name);
      }
    }
  }
  return out;
}

EgressPlan PlanEgress(const EgressCluster& cluster) {
  std::vector<Draft> drafts = CollectPolicies(cluster);
  ResolveGateways(cluster, &drafts);
  EgressPlan plan;
  std::vector<EipPair> previous;
  for (Draft& d : drafts) {
    plan.policies.push_back(std::move(d.out));
    previous.push_back(d.previous);
  }
  std::vector<const model::EgressGateway*> gateways;
  for (const model::EgressGateway& gw : cluster.gateways) gateways.push_back(&gw);
  std::sort(gateways.begin(), gateways.end(),
            [](const auto* a, const auto* b) { return a->metadata.name < b->metadata.name; });
  for (const model::EgressGateway* gw : gateways) PlanGateway(*gw, cluster, previous, &plan);
  for (const model::Node& node : cluster.nodes) {
    if (NodeReady(node)) plan.ready_nodes.push_back(node.metadata.name);
  }
  std::sort(plan.ready_nodes.begin(), plan.ready_nodes.end());
  return plan;
}

const PolicyOutcome* EgressPlan::FindPolicy(const PolicyId& id) const {
  auto it = std::lower_bound(policies.begin(), policies.end(), id,
                             [](const PolicyOutcome& p, const PolicyId& v) { return p.id < v; });
  return it != policies.end() && it->id == id ? &*it : nullptr;
}

const GatewayOutcome* EgressPlan::FindGateway(std::string_view name) const {
  auto it =
      std::lower_bound(gateways.begin(), gateways.end(), name,
                       [](const GatewayOutcome& g, std::string_view v) { return g.name < v; });
  return it != gateways.end() && it->name == name ? &*it : nullptr;
}

bool EgressPlan::NodeIsReady(std::string_view node) const {
  return std::binary_search(ready_nodes.begin(), ready_nodes.end(), node);
}

}  // namespace egret::core::egress
