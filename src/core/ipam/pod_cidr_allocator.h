// PodCidrAllocator: carves per-node pod CIDRs (Node spec.podCIDRs) out of the cluster CIDRs.
// A pure function of the cluster configuration and of the CIDRs nodes already hold, so the
// controller can recompute it after a restart and two answers never depend on history.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "model/net.h"

namespace egret::core::ipam {

struct PodCidrConfig {
  // The cluster's pod CIDRs: one or two, at most one per address family.
  std::vector<model::Cidr> cluster_cidrs;
  // Prefix length of each node's CIDR, per family.
  int node_mask_v4 = 24;
  int node_mask_v6 = 64;
};

class PodCidrAllocator {
 public:
  // The node CIDRs may be at most 2^kMaxIndexBits per cluster CIDR: more would be a typo (a
  // /8 cluster with /32 nodes) rather than a plan, and it keeps node indices in 64 bits.
  static constexpr int kMaxIndexBits = 32;

  // Validates the configuration: one or two cluster CIDRs of distinct families; each node mask
  // longer than its cluster prefix by at most kMaxIndexBits, and short enough to leave pod
  // addresses after the reserved ones (IPv4 /30 or shorter, IPv6 /126 or shorter).
  // Invalid, naming the offending CIDR or mask, otherwise.
  static StatusOr<PodCidrAllocator> Create(const PodCidrConfig& config);

  // The CIDRs for a node that has none: one per cluster CIDR, in configuration order. Each is
  // the lowest node-sized block of its cluster CIDR that overlaps none of `assigned` (the
  // podCIDRs every other node holds, of any size; CIDRs outside the cluster CIDRs are
  // ignored). FailedPrecondition, naming the cluster CIDR, when a family has no free block.
  StatusOr<std::vector<model::Cidr>> Allocate(std::span<const model::Cidr> assigned) const;

  // Allocate() for one family; NotFound when the cluster has no CIDR of that family.
  StatusOr<model::Cidr> AllocateFamily(model::Family family,
                                       std::span<const model::Cidr> assigned) const;

  // Ok when `cidr` is a block this allocator could hand out (inside a cluster CIDR, with the
  // node mask); Invalid saying why not. Lets the controller vet podCIDRs an orchestrator set.
  Status CheckNodeCidr(const model::Cidr& cidr) const;

  // The number of node CIDRs the family's cluster CIDR holds; 0 without one.
  uint64_t Capacity(model::Family family) const;

  const std::vector<model::Cidr>& cluster_cidrs() const { return config_.cluster_cidrs; }
  int node_mask(model::Family family) const {
    return family == model::Family::kV4 ? config_.node_mask_v4 : config_.node_mask_v6;
  }

 private:
  explicit PodCidrAllocator(PodCidrConfig config) : config_(std::move(config)) {}
  const model::Cidr* ClusterCidr(model::Family family) const;

  PodCidrConfig config_;
};

}  // namespace egret::core::ipam
