#include "core/egress/policy_match.h"

#include <algorithm>

namespace egret::core::egress {

bool PodIsSource(const model::Pod& pod) {
  if (pod.spec.node_name.empty() || pod.spec.host_network || pod.status.pod_ips.empty()) {
    return false;
  }
  return pod.status.phase != model::PodPhase::kSucceeded &&
         pod.status.phase != model::PodPhase::kFailed;
}

bool InScope(const PolicyId& id, const model::AppliedTo& applied, std::string_view ns,
             const std::map<std::string, std::string>& ns_labels) {
  if (id.kind == PolicyKind::kEgressPolicy) return id.namespace_ == ns;
  return !applied.namespace_selector || applied.namespace_selector->Matches(ns_labels);
}

bool SelectsPod(const model::AppliedTo& applied, const model::Pod& pod) {
  if (applied.pod_selector && applied.pod_selector->Matches(pod.metadata.labels)) return true;
  for (const model::Cidr& subnet : applied.pod_subnet) {
    for (const model::IpAddress& ip : pod.status.pod_ips) {
      if (subnet.Contains(ip)) return true;
    }
  }
  return false;
}

PolicyMatcher::PolicyMatcher(std::vector<Policy> policies,
                             std::span<const model::Namespace> namespaces)
    : policies_(std::move(policies)) {
  for (const model::Namespace& ns : namespaces) {
    in_scope_[ns.metadata.name] = ScopeOf(ns.metadata.name, ns.metadata.labels);
  }
}

std::vector<size_t> PolicyMatcher::ScopeOf(std::string_view ns,
                                           const std::map<std::string, std::string>& labels) const {
  std::vector<size_t> scope;
  for (size_t i = 0; i < policies_.size(); ++i) {
    if (InScope(*policies_[i].id, *policies_[i].applied, ns, labels)) scope.push_back(i);
  }
  return scope;
}

std::vector<size_t> PolicyMatcher::Matching(const model::Pod& pod) const {
  std::vector<size_t> out;
  if (!PodIsSource(pod)) return out;
  std::vector<size_t> unknown;  // a namespace without a Namespace object: no labels
  auto known = in_scope_.find(pod.metadata.namespace_);
  if (known == in_scope_.end()) unknown = ScopeOf(pod.metadata.namespace_, {});
  for (size_t i : known != in_scope_.end() ? known->second : unknown) {
    if (SelectsPod(*policies_[i].applied, pod)) out.push_back(i);
  }
  return out;
}

}  // namespace egret::core::egress
