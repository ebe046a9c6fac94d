#include "core/netpol/interpret.h"

#include <algorithm>

#include "core/netpol/ranges.h"

namespace egret::core::netpol {
namespace {

template <typename Set>
const Set* FindSet(const std::vector<Set>& sets, const std::string& name) {
  auto it = std::lower_bound(sets.begin(), sets.end(), name,
                             [](const Set& s, const std::string& n) { return s.name < n; });
  return it != sets.end() && it->name == name ? &*it : nullptr;
}

bool PeerMatches(const NodePolicyState& state, const PeerMatch& m, const model::IpAddress& peer) {
  switch (m.kind) {
    case PeerMatch::Kind::kAny:
      return true;
    case PeerMatch::Kind::kRanges:
      return RangesContain(m.ranges, peer);
    case PeerMatch::Kind::kSet: {
      const AddressSet* set = FindSet(state.address_sets, m.set);
      return set != nullptr && std::binary_search(set->members.begin(), set->members.end(), peer);
    }
  }
  return false;
}

bool PortMatches(const NodePolicyState& state, const PortMatch& m, const Connection& conn) {
  if (m.protocol && *m.protocol != conn.protocol) return false;
  if (m.port_set.empty()) return m.first <= conn.port && conn.port <= m.last;
  const PortSet* set = FindSet(state.port_sets, m.port_set);
  return set != nullptr &&
         std::binary_search(set->members.begin(), set->members.end(),
                            PortTuple{conn.destination, conn.protocol, conn.port});
}

bool RuleMatches(const NodePolicyState& state, const Rule& r, const model::IpAddress& peer,
                 const Connection& conn) {
  if (!PeerMatches(state, r.peer, peer)) return false;
  return r.ports.empty() || std::any_of(r.ports.begin(), r.ports.end(), [&](const PortMatch& p) {
           return PortMatches(state, p, conn);
         });
}

Action RunTier(const NodePolicyState& state, const TierProgram& tier, const model::IpAddress& peer,
               const Connection& conn, std::string* rule) {
  for (const Rule& r : tier.rules) {
    if (RuleMatches(state, r, peer, conn)) {
      *rule = r.origin;
      return r.action;
    }
  }
  rule->clear();
  return tier.otherwise;
}

struct Found {
  const NodePolicyState* state = nullptr;
  const PodProgram* pod = nullptr;
};

Found ProgramOf(std::span<const NodePolicyState> states, const model::IpAddress& ip) {
  for (const NodePolicyState& s : states) {
    for (const PodProgram& p : s.pods) {
      if (std::find(p.addresses.begin(), p.addresses.end(), ip) != p.addresses.end()) {
        return {&s, &p};
      }
    }
  }
  return {};
}

}  // namespace

bool RunDirection(const NodePolicyState& state, const DirectionProgram& program,
                  const model::IpAddress& peer, const Connection& conn, std::string* rule) {
  for (const TierProgram* tier : {&program.admin, &program.network_policy, &program.baseline}) {
    Action a = RunTier(state, *tier, peer, conn, rule);
    if (a != Action::kNextTier) return a == Action::kAccept;
  }
  return true;  // after the last tier
}

InterpretedVerdict Interpret(std::span<const NodePolicyState> states, const Connection& conn) {
  InterpretedVerdict v;
  Found src = ProgramOf(states, conn.source);
  if (src.pod != nullptr) {
    v.egress = RunDirection(*src.state, src.pod->egress, conn.destination, conn, &v.egress_rule);
  }
  Found dst = ProgramOf(states, conn.destination);
  if (dst.pod != nullptr) {
    v.ingress = RunDirection(*dst.state, dst.pod->ingress, conn.source, conn, &v.ingress_rule);
  }
  v.allowed = v.egress && v.ingress;
  return v;
}

}  // namespace egret::core::netpol
