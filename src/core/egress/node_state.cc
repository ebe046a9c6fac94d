#include "core/egress/node_state.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace egret::core::egress {
namespace {

// The sources of the node: a contiguous run, since sources are sorted by node.
std::span<const SteeredSource> SourcesOn(const EgressSteering& steering, std::string_view node) {
  auto lo = std::lower_bound(steering.sources.begin(), steering.sources.end(), node,
                             [](const SteeredSource& s, std::string_view n) { return s.node < n; });
  auto hi = std::upper_bound(lo, steering.sources.end(), node,
                             [](std::string_view n, const SteeredSource& s) { return n < s.node; });
  return {lo, hi};
}

size_t TargetOf(const EgressPlan& plan, const DestinationRow& row) {
  return *plan.policies[row.policy].target;  // a row's policy is in force, so it has one
}

bool IsCandidate(const EgressTarget& t, std::string_view node) {
  return std::find(t.candidates.begin(), t.candidates.end(), node) != t.candidates.end();
}

// Per plan target: per class, the destinations steered to it.
using ClassDestinations = std::map<size_t, std::vector<model::IpRange>>;

std::map<size_t, ClassDestinations> DutiesOf(const EgressPlan& plan, const EgressSteering& steering,
                                             std::string_view node) {
  std::map<size_t, ClassDestinations> duties;
  for (size_t t = 0; t < plan.targets.size(); ++t) {
    if (IsCandidate(plan.targets[t], node)) duties[t];
  }
  if (duties.empty()) return duties;
  for (size_t c = 0; c < steering.classes.size(); ++c) {
    for (const DestinationRow& row : steering.classes[c].table) {
      auto it = duties.find(TargetOf(plan, row));
      if (it != duties.end()) it->second[c].push_back(row.range);
    }
  }
  return duties;
}

SnatDuty MakeDuty(const EgressSteering& steering, size_t local_target,
                  const ClassDestinations& classes) {
  SnatDuty duty;
  duty.target = local_target;
  std::set<std::string> nodes;
  for (const auto& [c, destinations] : classes) {
    SnatMatch m;
    m.destinations = destinations;
    for (size_t s : steering.class_sources[c]) {
      m.sources.push_back(steering.sources[s].ip);
      nodes.insert(steering.sources[s].node);
    }
    std::sort(m.sources.begin(), m.sources.end());
    duty.matches.push_back(std::move(m));
  }
  duty.source_nodes.assign(nodes.begin(), nodes.end());
  return duty;
}

}  // namespace

NodeEgressState DesiredEgressForNode(const EgressPlan& plan, const EgressSteering& steering,
                                     std::string_view node) {
  NodeEgressState out;
  out.node = std::string(node);
  const std::span<const SteeredSource> mine = SourcesOn(steering, node);
  const std::map<size_t, ClassDestinations> duties = DutiesOf(plan, steering, node);
  // Local target indexes, in plan order (which is the (gateway, key) order).
  std::map<size_t, size_t> local;
  for (const SteeredSource& s : mine) {
    for (const DestinationRow& row : steering.classes[s.steering_class].table) {
      local[TargetOf(plan, row)];
    }
  }
  for (const auto& [t, classes] : duties) local[t];
  for (auto& [t, index] : local) {
    index = out.targets.size();
    out.targets.push_back(plan.targets[t]);
  }
  for (const SteeredSource& s : mine) {
    for (const DestinationRow& row : steering.classes[s.steering_class].table) {
      out.steering.push_back(
          {s.ip, row.range, local[TargetOf(plan, row)], plan.policies[row.policy].id, row.kind});
    }
  }
  std::sort(
      out.steering.begin(), out.steering.end(), [](const SteeringRow& a, const SteeringRow& b) {
        return std::tie(a.source, a.destination.first) < std::tie(b.source, b.destination.first);
      });
  for (const auto& [t, classes] : duties) {
    out.snat.push_back(MakeDuty(steering, local[t], classes));
  }
  return out;
}

}  // namespace egret::core::egress
