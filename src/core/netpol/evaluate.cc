#include "core/netpol/evaluate.h"

#include <algorithm>
#include <optional>
#include <variant>

namespace egret::core::netpol {
namespace {

using model::PolicyType;

// One direction, seen from the pod it is judged for.
struct View {
  const PolicyCluster& cluster;
  const model::Pod& subject;
  PolicyType direction;
  const model::IpAddress& peer_address;  // the other end
  const model::Pod* peer;                // the other end when it is a pod taking part
  const model::Pod* port_owner;          // the pod the destination port belongs to, if any
  model::Protocol protocol;
  uint16_t port;
};

bool InIpBlock(const model::IpAddress& ip, const model::IpBlock& block) {
  if (!block.cidr.Contains(ip)) return false;
  return std::none_of(block.except.begin(), block.except.end(),
                      [&](const model::Cidr& c) { return c.Contains(ip); });
}

bool PodInNamespaces(const View& v, const model::LabelSelector& ns_selector) {
  return v.peer != nullptr &&
         ns_selector.Matches(NamespaceLabels(v.cluster, v.peer->metadata.namespace_));
}

// ---- NetworkPolicy ----

bool NpPeerMatches(const View& v, const std::string& policy_ns,
                   const model::NetworkPolicyPeer& peer) {
  if (const auto* block = std::get_if<model::IpBlock>(&peer)) {
    return InIpBlock(v.peer_address, *block);
  }
  const auto& sel = std::get<model::SelectorPeer>(peer);
  if (v.peer == nullptr) return false;
  if (sel.namespace_selector) {
    if (!PodInNamespaces(v, *sel.namespace_selector)) return false;
  } else if (v.peer->metadata.namespace_ != policy_ns) {
    return false;
  }
  return !sel.pod_selector || sel.pod_selector->Matches(v.peer->metadata.labels);
}

bool NpPortMatches(const View& v, const model::NetworkPolicyPort& p) {
  if (p.protocol != v.protocol) return false;
  if (p.number) return *p.number <= v.port && v.port <= p.end_port.value_or(*p.number);
  if (p.name) {
    // Resolved against the pod that owns the destination port, with the rule's protocol.
    if (v.port_owner == nullptr) return false;
    std::optional<int> n = model::ResolveNamedPort(*v.port_owner, *p.name, v.protocol);
    return n && *n == v.port;
  }
  return true;  // every port of the protocol
}

bool NpRuleMatches(const View& v, const std::string& policy_ns,
                   const model::NetworkPolicyRule& rule) {
  bool peer_ok = rule.peers.empty() ||
                 std::any_of(rule.peers.begin(), rule.peers.end(),
                             [&](const auto& p) { return NpPeerMatches(v, policy_ns, p); });
  bool port_ok =
      rule.ports.empty() || std::any_of(rule.ports.begin(), rule.ports.end(),
                                        [&](const auto& p) { return NpPortMatches(v, p); });
  return peer_ok && port_ok;
}

// nullopt: no NetworkPolicy isolates the pod in this direction.
std::optional<DirectionVerdict> NetworkPolicyTier(const View& v) {
  std::string isolating;
  for (const model::NetworkPolicy& np : v.cluster.network_policies) {
    if (np.metadata.namespace_ != v.subject.metadata.namespace_) continue;
    if (!np.spec.Isolates(v.direction)) continue;
    if (!np.spec.pod_selector.Matches(v.subject.metadata.labels)) continue;
    PolicyRef ref{PolicyKind::kNetworkPolicy, np.metadata.namespace_, np.metadata.name};
    const auto& rules = v.direction == PolicyType::kIngress ? np.spec.ingress : np.spec.egress;
    for (size_t i = 0; i < rules.size(); ++i) {
      if (NpRuleMatches(v, np.metadata.namespace_, rules[i])) {
        return DirectionVerdict{
            true, Tier::kNetworkPolicy,
            ref.ToString() + " " +
                std::string(v.direction == PolicyType::kIngress ? "ingress" : "egress") + "[" +
                std::to_string(i) + "]"};
      }
    }
    if (isolating.empty()) isolating = ref.ToString();
  }
  if (isolating.empty()) return std::nullopt;
  return DirectionVerdict{false, Tier::kNetworkPolicy, isolating + ": no rule allows"};
}

// ---- AdminNetworkPolicy / BaselineAdminNetworkPolicy ----

bool AdminPeerMatches(const View& v, const model::NamespacesPeer& p) {
  return PodInNamespaces(v, p.namespace_selector);
}
bool AdminPeerMatches(const View& v, const model::PodsPeer& p) {
  return PodInNamespaces(v, p.namespace_selector) &&
         p.pod_selector.Matches(v.peer->metadata.labels);
}
bool AdminPeerMatches(const View& v, const model::NodesPeer& p) {
  if (v.peer != nullptr) return false;  // a pod's address is not a node's
  for (const model::Node& node : v.cluster.nodes) {
    if (!p.node_selector.Matches(node.metadata.labels)) continue;
    std::vector<model::IpAddress> addrs = NodeAddresses(node);
    if (std::find(addrs.begin(), addrs.end(), v.peer_address) != addrs.end()) return true;
  }
  return false;
}
bool AdminPeerMatches(const View& v, const model::NetworksPeer& p) {
  return std::any_of(p.networks.begin(), p.networks.end(),
                     [&](const model::Cidr& c) { return c.Contains(v.peer_address); });
}

bool AdminPortMatches(const View& v, const model::AdminPortNumber& p) {
  return p.protocol == v.protocol && p.port == v.port;
}
bool AdminPortMatches(const View& v, const model::AdminPortRange& p) {
  return p.protocol == v.protocol && p.start <= v.port && v.port <= p.end;
}
bool AdminPortMatches(const View& v, const model::AdminNamedPort& p) {
  // The named container port with its own protocol; only pods have named ports.
  if (v.port_owner == nullptr) return false;
  for (const model::ContainerPort& cp : NamedPorts(*v.port_owner, p.name)) {
    if (cp.protocol == v.protocol && cp.container_port == v.port) return true;
  }
  return false;
}

template <typename Peer>
bool AdminRuleMatches(const View& v, const model::AdminPolicyRule<Peer>& rule) {
  bool peer_ok = std::any_of(rule.peers.begin(), rule.peers.end(), [&](const Peer& p) {
    return std::visit([&](const auto& alt) { return AdminPeerMatches(v, alt); }, p);
  });
  bool port_ok =
      rule.ports.empty() || std::any_of(rule.ports.begin(), rule.ports.end(), [&](const auto& p) {
        return std::visit([&](const auto& alt) { return AdminPortMatches(v, alt); }, p);
      });
  return peer_ok && port_ok;
}

struct AdminMatch {
  model::AdminPolicyAction action;
  std::string reason;
};

// The first rule of `spec` for v's direction that matches, if any.
template <typename Spec>
std::optional<AdminMatch> FirstAdminMatch(const View& v, const Spec& spec, const PolicyRef& ref) {
  if (!AdminSubjectSelects(spec.subject, NamespaceLabels(v.cluster, v.subject.metadata.namespace_),
                           v.subject.metadata.labels)) {
    return std::nullopt;
  }
  auto found = [&](const char* dir, size_t i, model::AdminPolicyAction a) {
    return AdminMatch{a, ref.ToString() + " " + dir + "[" + std::to_string(i) + "] (" +
                             std::string(model::AdminPolicyActionName(a)) + ")"};
  };
  if (v.direction == PolicyType::kIngress) {
    for (size_t i = 0; i < spec.ingress.size(); ++i) {
      if (AdminRuleMatches(v, spec.ingress[i])) return found("ingress", i, spec.ingress[i].action);
    }
  } else {
    for (size_t i = 0; i < spec.egress.size(); ++i) {
      if (AdminRuleMatches(v, spec.egress[i])) return found("egress", i, spec.egress[i].action);
    }
  }
  return std::nullopt;
}

// nullopt: no decision (no rule matched, or a Pass rule did).
std::optional<DirectionVerdict> AdminTier(const View& v) {
  const auto& anps = v.cluster.admin_policies;
  for (size_t i : AdminPrecedence(anps)) {
    PolicyRef ref{PolicyKind::kAdminNetworkPolicy, "", anps[i].metadata.name};
    std::optional<AdminMatch> m = FirstAdminMatch(v, anps[i].spec, ref);
    if (!m) continue;
    if (m->action == model::AdminPolicyAction::kPass) return std::nullopt;
    return DirectionVerdict{m->action == model::AdminPolicyAction::kAllow, Tier::kAdmin,
                            std::move(m->reason)};
  }
  return std::nullopt;
}

std::optional<DirectionVerdict> BaselineTier(const View& v) {
  if (!v.cluster.baseline) return std::nullopt;
  PolicyRef ref{PolicyKind::kBaselineAdminNetworkPolicy, "", v.cluster.baseline->metadata.name};
  std::optional<AdminMatch> m = FirstAdminMatch(v, v.cluster.baseline->spec, ref);
  // The decoder rejects Pass in the baseline; read literally it leaves the decision to the
  // (absent) next tier, which allows.
  if (!m || m->action == model::AdminPolicyAction::kPass) return std::nullopt;
  return DirectionVerdict{m->action == model::AdminPolicyAction::kAllow, Tier::kBaseline,
                          std::move(m->reason)};
}

DirectionVerdict Decide(const View& v) {
  if (auto d = AdminTier(v)) return *d;
  if (auto d = NetworkPolicyTier(v)) return *d;
  if (auto d = BaselineTier(v)) return *d;
  return {};
}

}  // namespace

std::string_view TierName(Tier t) {
  switch (t) {
    case Tier::kNone:
      return "none";
    case Tier::kAdmin:
      return "admin";
    case Tier::kNetworkPolicy:
      return "network-policy";
    case Tier::kBaseline:
      return "baseline";
  }
  return "?";
}

Verdict Allowed(const PolicyCluster& cluster, const Connection& conn) {
  const model::Pod* src = PodAt(cluster, conn.source);
  const model::Pod* dst = PodAt(cluster, conn.destination);
  Verdict out;
  if (src != nullptr) {
    out.egress = Decide(View{cluster, *src, PolicyType::kEgress, conn.destination, dst, dst,
                             conn.protocol, conn.port});
  }
  if (dst != nullptr) {
    out.ingress = Decide(
        View{cluster, *dst, PolicyType::kIngress, conn.source, src, dst, conn.protocol, conn.port});
  }
  out.allowed = out.egress.allowed && out.ingress.allowed;
  return out;
}

}  // namespace egret::core::netpol
