#include "core/netpol/cluster_index.h"

#include <algorithm>
#include <tuple>

namespace egret::core::netpol {
namespace {

template <typename T>
std::span<const T* const> Lookup(const std::map<std::string, std::vector<const T*>, std::less<>>& m,
                                 std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) return {};
  return it->second;
}

}  // namespace

ClusterIndex::ClusterIndex(const PolicyCluster& cluster)
    : cluster_(cluster), admin_order_(AdminPrecedence(cluster.admin_policies)) {
  for (const model::Namespace& ns : cluster.namespaces) {
    ns_labels_.emplace(ns.metadata.name, &ns.metadata.labels);
  }
  for (const model::Pod& pod : cluster.pods) {
    if (!TakesPart(pod)) continue;
    pods_by_ns_[pod.metadata.namespace_].push_back(&pod);
    if (!pod.spec.node_name.empty()) pods_by_node_[pod.spec.node_name].push_back(&pod);
  }
  auto by_name = [](const model::Pod* a, const model::Pod* b) {
    return std::tie(a->metadata.namespace_, a->metadata.name) <
           std::tie(b->metadata.namespace_, b->metadata.name);
  };
  for (auto& [_, pods] : pods_by_ns_) std::sort(pods.begin(), pods.end(), by_name);
  for (auto& [_, pods] : pods_by_node_) std::sort(pods.begin(), pods.end(), by_name);
  for (const model::NetworkPolicy& np : cluster.network_policies) {
    nps_by_ns_[np.metadata.namespace_].push_back(&np);
  }
  for (auto& [_, nps] : nps_by_ns_) {
    std::sort(nps.begin(), nps.end(),
              [](const auto* a, const auto* b) { return a->metadata.name < b->metadata.name; });
  }
}

const Labels& ClusterIndex::NamespaceLabels(std::string_view ns) const {
  static const Labels kNone;
  auto it = ns_labels_.find(ns);
  return it == ns_labels_.end() ? kNone : *it->second;
}

std::span<const model::Pod* const> ClusterIndex::PodsOnNode(std::string_view node) const {
  return Lookup(pods_by_node_, node);
}

std::vector<std::string> ClusterIndex::NodesWithPods() const {
  std::vector<std::string> out;
  for (const auto& [node, _] : pods_by_node_) out.push_back(node);
  return out;
}

std::span<const model::NetworkPolicy* const> ClusterIndex::NetworkPoliciesIn(
    std::string_view ns) const {
  return Lookup(nps_by_ns_, ns);
}

}  // namespace egret::core::netpol
