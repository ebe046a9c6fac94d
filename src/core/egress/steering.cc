#include "core/egress/steering.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "core/egress/policy_match.h"

namespace egret::core::egress {
namespace {

using model::Family;
using model::IpAddress;

struct Claim {
  int priority;
  int prefix_len;  // -1 for "external"
  size_t policy;
  DestinationKind kind;
  RangeSet ranges;
};

std::vector<Claim> ClaimsOf(const EgressPlan& plan, std::span<const size_t> policies, Family f,
                            const RangeSet& steerable) {
  std::vector<Claim> claims;
  for (size_t pi : policies) {
    const model::EgressPolicySpec& spec = plan.policies[pi].spec;
    if (spec.dest_subnet.empty()) {
      claims.push_back({spec.priority, -1, pi, DestinationKind::kExternal, steerable});
      continue;
    }
    for (const model::Cidr& c : spec.dest_subnet) {
      if (c.family() != f) continue;
      claims.push_back({spec.priority, c.prefix_len(), pi, DestinationKind::kDestSubnet,
                        RangeSet::Of(f, std::span<const model::Cidr>(&c, 1))});
    }
  }
  // Precedence; plan.policies is sorted by PolicyId, so the index order is the PolicyId order.
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
    return std::tie(b.priority, b.prefix_len, a.policy) <
           std::tie(a.priority, a.prefix_len, b.policy);
  });
  return claims;
}

// Sorts rows by address and merges neighbours of one policy and kind.
std::vector<DestinationRow> Merge(std::vector<DestinationRow> rows) {
  std::sort(rows.begin(), rows.end(), [](const DestinationRow& a, const DestinationRow& b) {
    return a.range.first < b.range.first;
  });
  std::vector<DestinationRow> out;
  for (DestinationRow& r : rows) {
    if (!out.empty()) {
      DestinationRow& last = out.back();
      if (last.policy == r.policy && last.kind == r.kind &&
          last.range.last != LastAddress(r.range.family()) &&
          NextAddress(last.range.last) == r.range.first) {
        last.range.last = r.range.last;
        continue;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

struct ClassKey {
  Family family;
  std::vector<size_t> policies;
  friend auto operator<=>(const ClassKey&, const ClassKey&) = default;
};

std::vector<size_t> InForce(const EgressPlan& plan, const std::vector<size_t>& matching, Family f) {
  std::vector<size_t> out;
  for (size_t pi : matching) {
    if (plan.policies[pi].InForce(f)) out.push_back(pi);
  }
  return out;
}

}  // namespace

RangeSet SteerableSpace(const InternalDestinations& internal, Family family) {
  RangeSet inside = RangeSet::Of(family, internal.cluster_pod_cidrs)
                        .Union(RangeSet::Of(family, internal.service_cidrs))
                        .Union(RangeSet::Of(family, internal.node_addresses))
                        .Union(RangeSet::Of(family, internal.extra_cidrs));
  return RangeSet::All(family).Minus(inside);
}

std::vector<DestinationRow> ResolveDestinations(const EgressPlan& plan,
                                                std::span<const size_t> policies, Family family,
                                                const RangeSet& steerable) {
  RangeSet unclaimed = steerable;
  std::vector<DestinationRow> rows;
  for (const Claim& c : ClaimsOf(plan, policies, family, steerable)) {
    if (unclaimed.empty()) break;
    RangeSet got = c.ranges.Intersect(unclaimed);
    if (got.empty()) continue;
    unclaimed = unclaimed.Minus(got);
    for (const model::IpRange& r : got.ranges()) rows.push_back({r, c.policy, c.kind});
  }
  return Merge(std::move(rows));
}

EgressSteering CompileSteering(const EgressPlan& plan, const EgressCluster& cluster) {
  std::vector<PolicyMatcher::Policy> policies;
  for (const PolicyOutcome& p : plan.policies) policies.push_back({&p.id, &p.spec.applied_to});
  const PolicyMatcher matcher(std::move(policies), cluster.namespaces);
  const RangeSet steerable[] = {SteerableSpace(cluster.internal, Family::kV4),
                                SteerableSpace(cluster.internal, Family::kV6)};
  EgressSteering out;
  std::map<ClassKey, std::optional<size_t>> class_of;  // nullopt: the table is empty
  for (const model::Pod& pod : cluster.pods) {
    std::vector<size_t> matching = matcher.Matching(pod);
    if (matching.empty()) continue;
    for (const IpAddress& ip : pod.status.pod_ips) {
      ClassKey key{ip.family(), InForce(plan, matching, ip.family())};
      if (key.policies.empty()) continue;
      auto [it, fresh] = class_of.try_emplace(key);
      if (fresh) {
        const RangeSet& space = steerable[ip.is_v4() ? 0 : 1];
        std::vector<DestinationRow> table =
            ResolveDestinations(plan, key.policies, key.family, space);
        if (!table.empty()) {
          it->second = out.classes.size();
          out.classes.push_back({key.family, key.policies, std::move(table)});
        }
      }
      if (!it->second) continue;
      out.sources.push_back(
          {ip, pod.spec.node_name, pod.metadata.namespace_, pod.metadata.name, *it->second});
    }
  }
  std::sort(out.sources.begin(), out.sources.end(),
            [](const SteeredSource& a, const SteeredSource& b) {
              return std::tie(a.node, a.ip) < std::tie(b.node, b.ip);
            });
  out.class_sources.resize(out.classes.size());
  for (size_t i = 0; i < out.sources.size(); ++i) {
    out.class_sources[out.sources[i].steering_class].push_back(i);
  }
  return out;
}

}  // namespace egret::core::egress
