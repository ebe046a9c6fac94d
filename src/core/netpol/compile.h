// The policy compiler: from the cluster's objects to the compiled form one node needs
// (compiled.h), and which nodes need which policy. Pure: values in, values out, never fails.
//
// Semantics are those of evaluate.h, rule for rule; the compiled form interpreted
// (interpret.h) gives the evaluator's verdict for every connection - the property the tests
// check. docs/design/network-policy.md describes the compiled form and its rendering.
//
// Cost: building the compiler indexes the cluster once (n log n). CompileNode is linear in the
// node's pods times the policies in scope of each pod, plus, per distinct peer of those
// policies, the pods of the namespaces the peer selects - never pods x pods.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/netpol/cluster.h"
#include "core/netpol/cluster_index.h"
#include "core/netpol/compiled.h"

namespace egret::core::netpol {

class SetCatalog;

// A policy and the nodes that must realize it: those hosting a pod it selects. Its status
// reads "realized on <agents reporting it> of <nodes.size()> nodes".
struct PolicyNodes {
  PolicyRef policy;
  std::vector<std::string> nodes;  // sorted
  friend bool operator==(const PolicyNodes&, const PolicyNodes&) = default;
};

class PolicyCompiler {
 public:
  // `cluster` must outlive the compiler and stay unchanged while it is used.
  explicit PolicyCompiler(const PolicyCluster& cluster);

  // The programs of every pod on `node` that some policy selects (as subject), and the sets
  // they refer to. A node without such pods gets an empty state.
  NodePolicyState CompileNode(std::string_view node) const;

  // The nodes hosting a pod `policy` selects, sorted; empty for an unknown policy.
  std::vector<std::string> NodesNeeding(const PolicyRef& policy) const;

  // Every policy of the cluster with its nodes, sorted by PolicyRef; a policy selecting no
  // scheduled pod is listed with no nodes.
  std::vector<PolicyNodes> Placement() const;

 private:
  // The policies selecting `pod` as their subject.
  struct Selection {
    std::vector<size_t> admin;  // indexes into admin_policies, in precedence order
    std::vector<const model::NetworkPolicy*> network_policies;  // sorted by name
    bool baseline = false;
    bool empty() const { return admin.empty() && network_policies.empty() && !baseline; }
  };
  Selection Select(const model::Pod& pod) const;
  DirectionProgram CompileDirection(const model::Pod& pod, const Selection& sel,
                                    model::PolicyType direction, SetCatalog* sets) const;

  ClusterIndex index_;
};

}  // namespace egret::core::netpol
