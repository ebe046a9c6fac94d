// Which policies select a pod.
//
//   - A pod is a source when it is scheduled (spec.nodeName), not hostNetwork (its addresses are
//     the node's), not Succeeded/Failed (its addresses may already be reused) and has
//     addresses (status.podIPs).
//   - An EgressPolicy is in scope for the pods of its own namespace; an EgressClusterPolicy for
//     the pods of the namespaces its namespaceSelector matches (all when absent; a pod whose
//     Namespace object is unknown has no namespace labels).
//   - In scope, the policy selects the pod when podSelector matches the pod's labels OR one of
//     the pod's addresses lies in a podSubnet CIDR. A selected pod takes part with all its
//     addresses (also those of the other family).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/egress/egress_types.h"
#include "model/egress_policy.h"
#include "model/namespace.h"
#include "model/pod.h"

namespace egret::core::egress {

bool PodIsSource(const model::Pod& pod);

// The namespace part: is a pod of namespace `ns` (with labels `ns_labels`) in scope of `id`?
bool InScope(const PolicyId& id, const model::AppliedTo& applied, std::string_view ns,
             const std::map<std::string, std::string>& ns_labels);

// The pod part: podSelector OR podSubnet.
bool SelectsPod(const model::AppliedTo& applied, const model::Pod& pod);

// Answers "which policies select this pod" for many pods: the namespace part is judged once per
// namespace. Policies are named by their index in the span given; spans must outlive it.
class PolicyMatcher {
 public:
  struct Policy {
    const PolicyId* id;
    const model::AppliedTo* applied;
  };
  PolicyMatcher(std::vector<Policy> policies, std::span<const model::Namespace> namespaces);

  // Indexes of the policies selecting `pod`, ascending; empty when it is not a source.
  std::vector<size_t> Matching(const model::Pod& pod) const;

 private:
  std::vector<size_t> ScopeOf(std::string_view ns,
                              const std::map<std::string, std::string>& labels) const;

  std::vector<Policy> policies_;
  // Per known namespace, the policies in scope (judged once, in the constructor).
  std::map<std::string, std::vector<size_t>, std::less<>> in_scope_;
};

}  // namespace egret::core::egress
