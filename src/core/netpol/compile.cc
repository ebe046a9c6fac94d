#include "core/netpol/compile.h"

#include <algorithm>
#include <set>

#include "core/netpol/compile_rules.h"
#include "core/netpol/set_catalog.h"

namespace egret::core::netpol {
namespace {

using model::PolicyType;

void CollectReferences(const TierProgram& tier, std::set<std::string>* names) {
  for (const Rule& r : tier.rules) {
    if (r.peer.kind == PeerMatch::Kind::kSet) names->insert(r.peer.set);
    for (const PortMatch& p : r.ports) {
      if (!p.port_set.empty()) names->insert(p.port_set);
    }
  }
}

// Keeps only the sets some rule refers to: a rule left out (it could never match) may have
// registered a set already.
void DropUnreferenced(NodePolicyState* state) {
  std::set<std::string> used;
  for (const PodProgram& p : state->pods) {
    for (const DirectionProgram* d : {&p.ingress, &p.egress}) {
      CollectReferences(d->admin, &used);
      CollectReferences(d->network_policy, &used);
      CollectReferences(d->baseline, &used);
    }
  }
  std::erase_if(state->address_sets, [&](const AddressSet& s) { return !used.count(s.name); });
  std::erase_if(state->port_sets, [&](const PortSet& s) { return !used.count(s.name); });
}

bool SameRef(const PolicyRef& ref, PolicyKind kind, std::string_view ns, std::string_view name) {
  return ref.kind == kind && ref.namespace_ == ns && ref.name == name;
}

}  // namespace

PolicyCompiler::PolicyCompiler(const PolicyCluster& cluster) : index_(cluster) {}

PolicyCompiler::Selection PolicyCompiler::Select(const model::Pod& pod) const {
  Selection sel;
  const PolicyCluster& c = index_.cluster();
  const Labels& ns_labels = index_.NamespaceLabels(pod.metadata.namespace_);
  for (size_t i : index_.AdminOrder()) {
    if (AdminSubjectSelects(c.admin_policies[i].spec.subject, ns_labels, pod.metadata.labels)) {
      sel.admin.push_back(i);
    }
  }
  for (const model::NetworkPolicy* np : index_.NetworkPoliciesIn(pod.metadata.namespace_)) {
    if (np->spec.pod_selector.Matches(pod.metadata.labels)) sel.network_policies.push_back(np);
  }
  sel.baseline = c.baseline.has_value() &&
                 AdminSubjectSelects(c.baseline->spec.subject, ns_labels, pod.metadata.labels);
  return sel;
}

DirectionProgram PolicyCompiler::CompileDirection(const model::Pod& pod, const Selection& sel,
                                                  PolicyType direction, SetCatalog* sets) const {
  const PolicyCluster& c = index_.cluster();
  RuleContext ctx{pod, direction, sets};
  bool ingress = direction == PolicyType::kIngress;
  DirectionProgram prog;
  prog.admin.otherwise = Action::kNextTier;
  for (size_t i : sel.admin) {
    const model::AdminNetworkPolicy& anp = c.admin_policies[i];
    std::string origin = "AdminNetworkPolicy " + anp.metadata.name;
    if (ingress) {
      AppendAdminRules(ctx, origin, anp.spec.ingress, &prog.admin.rules);
    } else {
      AppendAdminRules(ctx, origin, anp.spec.egress, &prog.admin.rules);
    }
  }
  prog.network_policy.otherwise = Action::kNextTier;
  for (const model::NetworkPolicy* np : sel.network_policies) {
    if (!np->spec.Isolates(direction)) continue;
    prog.network_policy.otherwise = Action::kDrop;  // isolated: what no rule allows is denied
    AppendNetworkPolicyRules(ctx, *np, &prog.network_policy.rules);
  }
  prog.baseline.otherwise = Action::kAccept;
  if (sel.baseline) {
    const model::BaselineAdminNetworkPolicy& b = *c.baseline;
    std::string origin = "BaselineAdminNetworkPolicy " + b.metadata.name;
    if (ingress) {
      AppendAdminRules(ctx, origin, b.spec.ingress, &prog.baseline.rules);
    } else {
      AppendAdminRules(ctx, origin, b.spec.egress, &prog.baseline.rules);
    }
  }
  return prog;
}

NodePolicyState PolicyCompiler::CompileNode(std::string_view node) const {
  NodePolicyState state;
  state.node = std::string(node);
  SetCatalog sets;
  for (const model::Pod* pod : index_.PodsOnNode(node)) {
    state.node_pods.push_back(
        {pod->metadata.namespace_, pod->metadata.name, pod->status.pod_ips});
    Selection sel = Select(*pod);
    if (sel.empty()) continue;
    PodProgram prog;
    prog.namespace_ = pod->metadata.namespace_;
    prog.name = pod->metadata.name;
    prog.addresses = pod->status.pod_ips;
    prog.ingress = CompileDirection(*pod, sel, PolicyType::kIngress, &sets);
    prog.egress = CompileDirection(*pod, sel, PolicyType::kEgress, &sets);
    state.pods.push_back(std::move(prog));
  }
  state.address_sets = sets.ResolveAddressSets(index_);
  state.port_sets = sets.ResolvePortSets(index_);
  DropUnreferenced(&state);
  return state;
}

std::vector<PolicyNodes> PolicyCompiler::Placement() const {
  const PolicyCluster& c = index_.cluster();
  std::map<PolicyRef, std::set<std::string>> nodes;
  for (const model::NetworkPolicy& np : c.network_policies) {
    nodes[{PolicyKind::kNetworkPolicy, np.metadata.namespace_, np.metadata.name}];
  }
  for (const model::AdminNetworkPolicy& anp : c.admin_policies) {
    nodes[{PolicyKind::kAdminNetworkPolicy, "", anp.metadata.name}];
  }
  std::optional<PolicyRef> baseline;
  if (c.baseline) {
    baseline = PolicyRef{PolicyKind::kBaselineAdminNetworkPolicy, "", c.baseline->metadata.name};
    nodes[*baseline];
  }
  for (const std::string& node : index_.NodesWithPods()) {
    for (const model::Pod* pod : index_.PodsOnNode(node)) {
      Selection sel = Select(*pod);
      for (size_t i : sel.admin) {
        nodes[{PolicyKind::kAdminNetworkPolicy, "", c.admin_policies[i].metadata.name}].insert(
            node);
      }
      for (const model::NetworkPolicy* np : sel.network_policies) {
        nodes[{PolicyKind::kNetworkPolicy, np->metadata.namespace_, np->metadata.name}].insert(
            node);
      }
      if (sel.baseline) nodes[*baseline].insert(node);
    }
  }
  std::vector<PolicyNodes> out;
  out.reserve(nodes.size());
  for (auto& [ref, set] : nodes) out.push_back({ref, {set.begin(), set.end()}});
  return out;
}

std::vector<std::string> PolicyCompiler::NodesNeeding(const PolicyRef& policy) const {
  const PolicyCluster& c = index_.cluster();
  std::set<std::string> nodes;
  auto add_if = [&](const model::Pod& pod, bool selected) {
    if (selected && !pod.spec.node_name.empty()) nodes.insert(pod.spec.node_name);
  };
  for (const model::NetworkPolicy* np : index_.NetworkPoliciesIn(policy.namespace_)) {
    if (!SameRef(policy, PolicyKind::kNetworkPolicy, np->metadata.namespace_, np->metadata.name)) {
      continue;
    }
    auto it = index_.pods_by_namespace().find(policy.namespace_);
    if (it == index_.pods_by_namespace().end()) break;
    for (const model::Pod* pod : it->second) {
      add_if(*pod, np->spec.pod_selector.Matches(pod->metadata.labels));
    }
  }
  const model::AdminPolicySubject* subject = nullptr;
  for (const model::AdminNetworkPolicy& anp : c.admin_policies) {
    if (SameRef(policy, PolicyKind::kAdminNetworkPolicy, "", anp.metadata.name)) {
      subject = &anp.spec.subject;
    }
  }
  if (c.baseline &&
      SameRef(policy, PolicyKind::kBaselineAdminNetworkPolicy, "", c.baseline->metadata.name)) {
    subject = &c.baseline->spec.subject;
  }
  if (subject != nullptr) {
    for (const auto& [ns, pods] : index_.pods_by_namespace()) {
      const Labels& ns_labels = index_.NamespaceLabels(ns);
      for (const model::Pod* pod : pods) {
        add_if(*pod, AdminSubjectSelects(*subject, ns_labels, pod->metadata.labels));
      }
    }
  }
  return {nodes.begin(), nodes.end()};
}

}  // namespace egret::core::netpol
