#include "core/egress/eip_allocator.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "common/strings.h"

namespace egret::core::egress {
namespace {

using model::Family;
using model::IpAddress;
using model::IpPoolEntry;

// A gateway's pools as numbered slots. With both pools non-empty, slot i is the pair of the
// i-th addresses (admission keeps the sizes equal; should they differ, the shorter one bounds
// the slots). With one pool, slot i is its i-th address.
class Slots {
 public:
  explicit Slots(const model::EgressGatewayPools& pools) : pools_(pools) {
    uint64_t n4 = pools.ipv4.empty() ? 0 : model::PoolSize(pools.ipv4);
    uint64_t n6 = pools.ipv6.empty() ? 0 : model::PoolSize(pools.ipv6);
    count_ = (n4 && n6) ? std::min(n4, n6) : std::max(n4, n6);
  }

  uint64_t count() const { return count_; }
  bool Has(Family f) const { return !pools_.Of(f).empty(); }
  bool Dual() const { return Has(Family::kV4) && Has(Family::kV6); }

  std::optional<uint64_t> IndexOf(const IpAddress& ip) const {
    if (!Has(ip.family())) return std::nullopt;
    std::optional<uint64_t> i = model::PoolIndexOf(pools_.Of(ip.family()), ip);
    if (!i || *i >= count_) return std::nullopt;
    return i;
  }

  EipPair At(uint64_t slot) const {
    EipPair p;
    for (Family f : kFamilies) {
      if (Has(f)) p.Of(f) = model::PoolAddressAt(pools_.Of(f), slot);
    }
    return p;
  }

  // The slots `pair`'s addresses occupy (one, or two for a pair of non-partners).
  std::vector<uint64_t> Of(const EipPair& pair) const {
    std::vector<uint64_t> out;
    for (Family f : kFamilies) {
      if (!pair.Of(f)) continue;
      if (std::optional<uint64_t> i = IndexOf(*pair.Of(f))) out.push_back(*i);
    }
    return out;
  }

 private:
  const model::EgressGatewayPools& pools_;
  uint64_t count_ = 0;
};

EipAssignment WithEip(const EipPair& eip) {
  EipAssignment a;
  a.mode = EipMode::kEip;
  a.eip = eip;
  return a;
}

std::string GatewayRef(const model::EgressGateway& gw) {
  return "EgressGateway " + Quote(gw.metadata.name);
}

PolicyProblem NoPool(const model::EgressGateway& gw) {
  return {std::string(kReasonNoEipPool),
          GatewayRef(gw) + " has no EIP pool (spec.ippools is empty): add addresses to it or " +
              "set spec.egressIP.useNodeIP: true"};
}

std::string FamilyKey(Family f) { return f == Family::kV4 ? "ipv4" : "ipv6"; }

EipAssignment AssignExplicit(const model::EgressGateway& gw, const Slots& slots,
                             const model::EgressIpSpec& spec) {
  EipAssignment a;
  for (Family f : kFamilies) {
    const std::optional<IpAddress>& ip = f == Family::kV4 ? spec.ipv4 : spec.ipv6;
    if (!ip) continue;
    if (model::PoolContains(gw.spec.ippools.Of(f), *ip)) {
      a.eip.Of(f) = *ip;
      continue;
    }
    std::string field = "spec.egressIP." + FamilyKey(f) + " " + Quote(ip->ToString());
    std::string fix = slots.Has(f) ? "use an address of its spec.ippools." + FamilyKey(f)
                                   : "add it to spec.ippools." + FamilyKey(f);
    a.problems.push_back({std::string(kReasonEipNotInPool),
                          field + " is not in the " + std::string(model::FamilyName(f)) +
                              " pool of " + GatewayRef(gw) + ": " + fix});
  }
  // One explicit address in dual stack: its partner serves the other family.
  if (slots.Dual() && (a.eip.ipv4.has_value() != a.eip.ipv6.has_value()) &&
      !(spec.ipv4 && spec.ipv6)) {
    const IpAddress& given = a.eip.ipv4 ? *a.eip.ipv4 : *a.eip.ipv6;
    if (std::optional<uint64_t> i = slots.IndexOf(given)) a.eip = slots.At(*i);
  }
  a.mode = a.eip.empty() ? EipMode::kNone : EipMode::kEip;
  return a;
}

PolicyProblem Exhausted(const model::EgressGateway& gw, uint64_t slot_count) {
  return {std::string(kReasonPoolExhausted),
          "no free address in the EIP pool of " + GatewayRef(gw) + " for allocatorPolicy rr: all " +
              std::to_string(slot_count) +
              " are taken (by the default EIP, explicit EIPs and other rr policies); add " +
              "addresses to spec.ippools, or use allocatorPolicy: default"};
}

// rr: keep valid previous slots, then fill the rest with the lowest free slots; `rr` holds
// request indexes in PolicyId order.
void AssignRoundRobin(const model::EgressGateway& gw, const Slots& slots,
                      std::span<const AllocationRequest> requests, const std::vector<size_t>& rr,
                      std::set<uint64_t> taken, std::optional<uint64_t> default_slot,
                      std::vector<EipAssignment>* out) {
  std::set<uint64_t> kept;
  std::vector<size_t> pending;
  for (size_t r : rr) {
    std::vector<uint64_t> prev = slots.Of(requests[r].previous);
    // The first family's slot decides; a broken pair is re-paired by it.
    if (!prev.empty() && prev[0] != default_slot && kept.insert(prev[0]).second) {
      (*out)[r] = WithEip(slots.At(prev[0]));
    } else {
      pending.push_back(r);
    }
  }
  taken.insert(kept.begin(), kept.end());
  uint64_t cursor = 0;
  for (size_t r : pending) {
    while (cursor < slots.count() && taken.count(cursor)) ++cursor;
    if (cursor >= slots.count()) {
      (*out)[r].problems.push_back(Exhausted(gw, slots.count()));
      continue;
    }
    (*out)[r] = WithEip(slots.At(cursor));
    taken.insert(cursor);
  }
}

int64_t Saturate(uint64_t n) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::min(n, kMax));
}

model::EgressGatewayIpUsage Usage(const model::EgressGatewayPools& pools,
                                  const std::vector<EipAssignment>& assignments) {
  std::set<IpAddress> used;
  for (const EipAssignment& a : assignments) {
    for (Family f : kFamilies) {
      if (a.eip.Of(f) && model::PoolContains(pools.Of(f), *a.eip.Of(f))) used.insert(*a.eip.Of(f));
    }
  }
  model::EgressGatewayIpUsage u;
  for (Family f : kFamilies) {
    int64_t total = pools.Of(f).empty() ? 0 : Saturate(model::PoolSize(pools.Of(f)));
    int64_t n = static_cast<int64_t>(std::count_if(
        used.begin(), used.end(), [f](const IpAddress& ip) { return ip.family() == f; }));
    (f == Family::kV4 ? u.ipv4_total : u.ipv6_total) = total;
    (f == Family::kV4 ? u.ipv4_free : u.ipv6_free) = std::max<int64_t>(0, total - n);
  }
  return u;
}

}  // namespace

EipPair DefaultEip(const model::EgressGatewayPools& pools) {
  Slots slots(pools);
  EipPair given;
  for (Family f : kFamilies) {
    const std::optional<IpAddress>& d =
        f == Family::kV4 ? pools.ipv4_default_eip : pools.ipv6_default_eip;
    if (d && slots.IndexOf(*d)) given.Of(f) = *d;
  }
  if (slots.count() == 0) return given;
  if (given.empty()) return slots.At(0);
  EipPair out = slots.At(*slots.IndexOf(given.ipv4 ? *given.ipv4 : *given.ipv6));
  for (Family f : kFamilies) {
    if (given.Of(f)) out.Of(f) = given.Of(f);  // both given: both win, partners or not
  }
  return out;
}

GatewayAllocation AllocateEips(const model::EgressGateway& gateway,
                               std::span<const AllocationRequest> requests) {
  const Slots slots(gateway.spec.ippools);
  GatewayAllocation out;
  out.default_eip = DefaultEip(gateway.spec.ippools);
  out.assignments.resize(requests.size());
  std::vector<uint64_t> default_slots = slots.Of(out.default_eip);
  std::optional<uint64_t> default_slot;
  if (!default_slots.empty()) default_slot = default_slots[0];
  std::set<uint64_t> taken(default_slots.begin(), default_slots.end());
  std::vector<size_t> rr;
  for (size_t i = 0; i < requests.size(); ++i) {
    const model::EgressIpSpec& spec = requests[i].egress_ip;
    EipAssignment& a = out.assignments[i];
    if (spec.use_node_ip) {
      a.mode = EipMode::kNodeIp;
    } else if (spec.explicit_eip()) {
      a = AssignExplicit(gateway, slots, spec);
      for (uint64_t s : slots.Of(a.eip)) taken.insert(s);
    } else if (slots.count() == 0) {
      a.problems.push_back(NoPool(gateway));
    } else if (spec.allocator_policy == model::AllocatorPolicy::kDefault) {
      a = WithEip(out.default_eip);
    } else {
      rr.push_back(i);
    }
  }
  std::sort(rr.begin(), rr.end(),
            [&](size_t x, size_t y) { return requests[x].id < requests[y].id; });
  AssignRoundRobin(gateway, slots, requests, rr, std::move(taken), default_slot, &out.assignments);
  out.usage = Usage(gateway.spec.ippools, out.assignments);
  return out;
}

}  // namespace egret::core::egress
