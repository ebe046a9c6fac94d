#include "core/ipam/pod_cidr_allocator.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/strings.h"
#include "core/ipam/address_bits.h"

namespace egret::core::ipam {
namespace {

using model::Cidr;
using model::Family;

// The longest node mask that still leaves a pod address after the network address, the
// gateway and (IPv4) the broadcast address.
int MaxNodeMask(Family f) { return f == Family::kV4 ? 30 : 126; }

std::string Slash(int len) { return "/" + std::to_string(len); }

Status CheckMask(const Cidr& cluster, int mask) {
  Family f = cluster.family();
  std::string what = "cluster CIDR " + Quote(cluster.ToString()) + ": node mask " + Slash(mask);
  if (mask <= cluster.prefix_len()) {
    return InvalidError(what + " must be longer than the cluster prefix " +
                        Slash(cluster.prefix_len()));
  }
  if (mask > MaxNodeMask(f)) {
    return InvalidError(what + " leaves no pod address: use " + Slash(MaxNodeMask(f)) +
                        " or shorter for " + std::string(model::FamilyName(f)));
  }
  if (mask - cluster.prefix_len() > PodCidrAllocator::kMaxIndexBits) {
    return InvalidError(what + " is more than " + std::to_string(PodCidrAllocator::kMaxIndexBits) +
                        " bits longer than the cluster prefix: use " +
                        Slash(cluster.prefix_len() + PodCidrAllocator::kMaxIndexBits) +
                        " or shorter");
  }
  return Status::Ok();
}

// The inclusive range of node-block indices of `cluster` that `c` covers.
struct IndexRange {
  uint64_t first;
  uint64_t last;
};

IndexRange Covered(const Cidr& cluster, int mask, const Cidr& c) {
  int index_bits = mask - cluster.prefix_len();
  if (c.prefix_len() <= cluster.prefix_len()) return {0, (uint64_t{1} << index_bits) - 1};
  uint64_t first = BitsAt(c.address(), cluster.prefix_len(), index_bits);
  if (c.prefix_len() >= mask) return {first, first};
  // A block larger than a node CIDR (a node given a shorter prefix by hand): its low index bits
  // are zero, and it spans 2^(mask - prefix) indices.
  return {first, first + ((uint64_t{1} << (mask - c.prefix_len())) - 1)};
}

}  // namespace

StatusOr<PodCidrAllocator> PodCidrAllocator::Create(const PodCidrConfig& config) {
  if (config.cluster_cidrs.empty()) {
    return InvalidError("no cluster CIDR: give one IPv4 and/or one IPv6 CIDR");
  }
  const std::vector<Cidr>& cidrs = config.cluster_cidrs;
  for (auto it = cidrs.begin() + 1; it < cidrs.end(); ++it) {
    const Cidr& c = *it;
    if (std::any_of(cidrs.begin(), it, [&](const Cidr& p) { return p.family() == c.family(); })) {
      return InvalidError("cluster CIDR " + Quote(c.ToString()) + " is a second " +
                          std::string(model::FamilyName(c.family())) +
                          " CIDR: give at most one per IP family");
    }
  }
  PodCidrAllocator a(config);
  for (const Cidr& c : cidrs) RETURN_IF_ERROR(CheckMask(c, a.node_mask(c.family())));
  return a;
}

const Cidr* PodCidrAllocator::ClusterCidr(Family family) const {
  for (const Cidr& c : config_.cluster_cidrs) {
    if (c.family() == family) return &c;
  }
  return nullptr;
}

uint64_t PodCidrAllocator::Capacity(Family family) const {
  const Cidr* cluster = ClusterCidr(family);
  if (!cluster) return 0;
  return uint64_t{1} << (node_mask(family) - cluster->prefix_len());
}

StatusOr<Cidr> PodCidrAllocator::AllocateFamily(Family family,
                                                std::span<const Cidr> assigned) const {
  const Cidr* cluster = ClusterCidr(family);
  if (!cluster) {
    return NotFoundError("the cluster has no " + std::string(model::FamilyName(family)) +
                         " pod CIDR");
  }
  int mask = node_mask(family);
  std::vector<IndexRange> used;
  for (const Cidr& c : assigned) {
    if (c.Overlaps(*cluster)) used.push_back(Covered(*cluster, mask, c));
  }
  std::sort(used.begin(), used.end(),
            [](const IndexRange& a, const IndexRange& b) { return a.first < b.first; });
  // Sweep the sorted ranges for the first gap; `candidate` is the lowest index not yet known to
  // be taken.
  uint64_t candidate = 0;
  for (const IndexRange& r : used) {
    if (r.first > candidate) break;
    candidate = std::max(candidate, r.last + 1);
  }
  uint64_t capacity = Capacity(family);
  if (candidate >= capacity) {
    return FailedPreconditionError("cluster CIDR " + Quote(cluster->ToString()) + " has no free " +
                                   Slash(mask) + " node CIDR: all " + std::to_string(capacity) +
                                   " are assigned");
  }
  int index_bits = mask - cluster->prefix_len();
  return Cidr(WithBits(cluster->address(), cluster->prefix_len(), index_bits, candidate), mask);
}

StatusOr<std::vector<Cidr>> PodCidrAllocator::Allocate(std::span<const Cidr> assigned) const {
  std::vector<Cidr> out;
  for (const Cidr& cluster : config_.cluster_cidrs) {
    ASSIGN_OR_RETURN(Cidr c, AllocateFamily(cluster.family(), assigned));
    out.push_back(c);
  }
  return out;
}

Status PodCidrAllocator::CheckNodeCidr(const Cidr& cidr) const {
  const Cidr* cluster = ClusterCidr(cidr.family());
  std::string what = "pod CIDR " + Quote(cidr.ToString());
  if (!cluster) {
    return InvalidError(what + " is " + std::string(model::FamilyName(cidr.family())) +
                        ", but the cluster has no CIDR of that family");
  }
  if (!cluster->Contains(cidr)) {
    return InvalidError(what + " is outside the cluster CIDR " + Quote(cluster->ToString()));
  }
  int mask = node_mask(cidr.family());
  if (cidr.prefix_len() != mask) {
    return InvalidError(what + " has prefix " + Slash(cidr.prefix_len()) +
                        ": node CIDRs of this cluster are " + Slash(mask));
  }
  return Status::Ok();
}

}  // namespace egret::core::ipam
