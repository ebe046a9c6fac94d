#include "core/netpol/cluster.h"

#include <algorithm>
#include <tuple>
#include <variant>

namespace egret::core::netpol {

std::string_view PolicyKindName(PolicyKind k) {
  switch (k) {
    case PolicyKind::kNetworkPolicy:
      return "NetworkPolicy";
    case PolicyKind::kAdminNetworkPolicy:
      return "AdminNetworkPolicy";
    case PolicyKind::kBaselineAdminNetworkPolicy:
      return "BaselineAdminNetworkPolicy";
  }
  return "?";
}

std::string PolicyRef::ToString() const {
  std::string out(PolicyKindName(kind));
  out += ' ';
  if (!namespace_.empty()) out += namespace_ + "/";
  return out + name;
}

bool TakesPart(const model::Pod& pod) {
  if (pod.spec.host_network) return false;
  return pod.status.phase != model::PodPhase::kSucceeded &&
         pod.status.phase != model::PodPhase::kFailed;
}

const model::Pod* PodAt(const PolicyCluster& cluster, const model::IpAddress& ip) {
  const model::Pod* best = nullptr;
  for (const model::Pod& pod : cluster.pods) {
    if (!TakesPart(pod)) continue;
    if (std::find(pod.status.pod_ips.begin(), pod.status.pod_ips.end(), ip) ==
        pod.status.pod_ips.end()) {
      continue;
    }
    if (best == nullptr || std::tie(pod.metadata.namespace_, pod.metadata.name) <
                               std::tie(best->metadata.namespace_, best->metadata.name)) {
      best = &pod;
    }
  }
  return best;
}

const Labels& NamespaceLabels(const PolicyCluster& cluster, std::string_view name) {
  static const Labels kNone;
  for (const model::Namespace& ns : cluster.namespaces) {
    if (ns.metadata.name == name) return ns.metadata.labels;
  }
  return kNone;
}

std::vector<model::IpAddress> NodeAddresses(const model::Node& node) {
  std::vector<model::IpAddress> out;
  for (const model::NodeAddress& a : node.status.addresses) {
    if (a.type != model::NodeAddressType::kInternalIP &&
        a.type != model::NodeAddressType::kExternalIP) {
      continue;
    }
    if (auto ip = model::IpAddress::Parse(a.address)) out.push_back(*ip);
  }
  return out;
}

std::vector<size_t> AdminPrecedence(std::span<const model::AdminNetworkPolicy> policies) {
  std::vector<size_t> order(policies.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(policies[a].spec.priority, policies[a].metadata.name) <
           std::tie(policies[b].spec.priority, policies[b].metadata.name);
  });
  return order;
}

bool AdminSubjectSelects(const model::AdminPolicySubject& subject, const Labels& ns_labels,
                         const Labels& pod_labels) {
  if (const auto* pods = std::get_if<model::PodsPeer>(&subject)) {
    return pods->namespace_selector.Matches(ns_labels) && pods->pod_selector.Matches(pod_labels);
  }
  return std::get<model::NamespacesPeer>(subject).namespace_selector.Matches(ns_labels);
}

std::vector<model::ContainerPort> NamedPorts(const model::Pod& pod, std::string_view name) {
  std::vector<model::ContainerPort> out;
  if (name.empty()) return out;  // unnamed ports cannot be referred to by name
  for (const model::Container& c : pod.spec.containers) {
    for (const model::ContainerPort& p : c.ports) {
      if (p.name == name) out.push_back(p);
    }
  }
  return out;
}

}  // namespace egret::core::netpol
