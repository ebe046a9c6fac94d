// Look-up tables over a PolicyCluster, built once so that the compiler never scans all pods or
// all policies per pod: pods by namespace and by node, NetworkPolicies by namespace, namespace
// labels by name, AdminNetworkPolicies in precedence order.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/netpol/cluster.h"

namespace egret::core::netpol {

class ClusterIndex {
 public:
  // `cluster` must outlive the index and stay unchanged.
  explicit ClusterIndex(const PolicyCluster& cluster);

  const PolicyCluster& cluster() const { return cluster_; }

  // Empty for a namespace without a Namespace object.
  const Labels& NamespaceLabels(std::string_view ns) const;

  // Pods taking part in policy, per namespace, each list sorted by name. Only namespaces that
  // have such pods appear.
  const std::map<std::string, std::vector<const model::Pod*>, std::less<>>& pods_by_namespace()
      const {
    return pods_by_ns_;
  }
  // Pods taking part in policy that are scheduled on `node`, sorted by (namespace, name).
  std::span<const model::Pod* const> PodsOnNode(std::string_view node) const;
  // Nodes with pods taking part in policy, sorted.
  std::vector<std::string> NodesWithPods() const;
  // The NetworkPolicies of `ns`, sorted by name.
  std::span<const model::NetworkPolicy* const> NetworkPoliciesIn(std::string_view ns) const;
  // Indexes into cluster().admin_policies in AdminPrecedence order.
  std::span<const size_t> AdminOrder() const { return admin_order_; }

 private:
  const PolicyCluster& cluster_;
  std::map<std::string, const Labels*, std::less<>> ns_labels_;
  std::map<std::string, std::vector<const model::Pod*>, std::less<>> pods_by_ns_;
  std::map<std::string, std::vector<const model::Pod*>, std::less<>> pods_by_node_;
  std::map<std::string, std::vector<const model::NetworkPolicy*>, std::less<>> nps_by_ns_;
  std::vector<size_t> admin_order_;
};

}  // namespace egret::core::netpol
