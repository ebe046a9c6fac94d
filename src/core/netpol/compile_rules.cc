#include "core/netpol/compile_rules.h"

#include <optional>
#include <variant>

#include "core/netpol/ranges.h"

namespace egret::core::netpol {
namespace {

using model::PolicyType;

// A peer that can match something; nullopt when it matches nothing.
using MaybePeer = std::optional<PeerMatch>;

MaybePeer RangesPeer(std::vector<model::IpRange> ranges) {
  if (ranges.empty()) return std::nullopt;
  PeerMatch m;
  m.kind = PeerMatch::Kind::kRanges;
  m.ranges = std::move(ranges);
  return m;
}

PeerMatch SetPeer(std::string name) {
  PeerMatch m;
  m.kind = PeerMatch::Kind::kSet;
  m.set = std::move(name);
  return m;
}

// Emits one rule per peer that can match. `ports` nullopt: the ports match nothing.
void Emit(const std::vector<MaybePeer>& peers, bool any_peer,
          const std::optional<std::vector<PortMatch>>& ports, Action action,
          const std::string& origin, std::vector<Rule>* out) {
  if (!ports) return;
  if (any_peer) {
    out->push_back(Rule{PeerMatch{}, *ports, action, origin});
    return;
  }
  for (const MaybePeer& p : peers) {
    if (p) out->push_back(Rule{*p, *ports, action, origin});
  }
}

// ---- NetworkPolicy ----

MaybePeer NpPeer(const RuleContext& ctx, const std::string& policy_ns,
                 const model::NetworkPolicyPeer& peer) {
  if (const auto* block = std::get_if<model::IpBlock>(&peer)) {
    std::vector<model::IpRange> holes;
    for (const model::Cidr& c : block->except) holes.push_back(RangeOf(c));
    return RangesPeer(Subtract(RangeOf(block->cidr), holes));
  }
  const auto& sel = std::get<model::SelectorPeer>(peer);
  PodSetDef def;
  if (sel.namespace_selector) {
    def.namespace_selector = *sel.namespace_selector;
  } else {
    def.namespace_name = policy_ns;
  }
  def.pod_selector = sel.pod_selector.value_or(model::LabelSelector{});
  return SetPeer(ctx.sets->AddPods(def));
}

// nullopt when the rule lists ports and none of them can match on this pod.
std::optional<std::vector<PortMatch>> NpPorts(const RuleContext& ctx,
                                              const std::vector<model::NetworkPolicyPort>& ports) {
  std::vector<PortMatch> out;
  for (const model::NetworkPolicyPort& p : ports) {
    PortMatch m;
    m.protocol = p.protocol;
    if (p.number) {
      m.first = *p.number;
      m.last = p.end_port.value_or(*p.number);
    } else if (p.name && ctx.direction == PolicyType::kIngress) {
      // The destination is the selected pod itself: resolve now.
      std::optional<int> n = model::ResolveNamedPort(ctx.pod, *p.name, p.protocol);
      if (!n) continue;
      m.first = m.last = static_cast<uint16_t>(*n);
    } else if (p.name) {
      m.port_set = ctx.sets->AddPortName(*p.name);  // the port belongs to the peer
    }
    out.push_back(std::move(m));
  }
  if (!ports.empty() && out.empty()) return std::nullopt;
  return out;
}

// ---- AdminNetworkPolicy / BaselineAdminNetworkPolicy ----

MaybePeer AdminPeer(const RuleContext& ctx, const model::NamespacesPeer& p) {
  return SetPeer(ctx.sets->AddPods(PodSetDef{std::nullopt, p.namespace_selector, {}}));
}
MaybePeer AdminPeer(const RuleContext& ctx, const model::PodsPeer& p) {
  return SetPeer(ctx.sets->AddPods(PodSetDef{std::nullopt, p.namespace_selector, p.pod_selector}));
}
MaybePeer AdminPeer(const RuleContext& ctx, const model::NodesPeer& p) {
  return SetPeer(ctx.sets->AddNodes(p.node_selector));
}
MaybePeer AdminPeer(const RuleContext&, const model::NetworksPeer& p) {
  std::vector<model::IpRange> ranges;
  for (const model::Cidr& c : p.networks) ranges.push_back(RangeOf(c));
  return RangesPeer(Normalize(std::move(ranges)));
}

void AdminPort(const RuleContext&, const model::AdminPortNumber& p, std::vector<PortMatch>* out) {
  out->push_back(PortMatch{p.protocol, p.port, p.port, ""});
}
void AdminPort(const RuleContext&, const model::AdminPortRange& p, std::vector<PortMatch>* out) {
  out->push_back(PortMatch{p.protocol, p.start, p.end, ""});
}
void AdminPort(const RuleContext& ctx, const model::AdminNamedPort& p,
               std::vector<PortMatch>* out) {
  if (ctx.direction == PolicyType::kEgress) {
    // Any protocol: the set's tuples carry each container port's own protocol.
    out->push_back(PortMatch{std::nullopt, 0, 65535, ctx.sets->AddPortName(p.name)});
    return;
  }
  for (const model::ContainerPort& cp : NamedPorts(ctx.pod, p.name)) {
    auto n = static_cast<uint16_t>(cp.container_port);
    out->push_back(PortMatch{cp.protocol, n, n, ""});
  }
}

Action ActionOf(model::AdminPolicyAction a) {
  switch (a) {
    case model::AdminPolicyAction::kAllow:
      return Action::kAccept;
    case model::AdminPolicyAction::kDeny:
      return Action::kDrop;
    case model::AdminPolicyAction::kPass:
      return Action::kNextTier;
  }
  return Action::kDrop;
}

template <typename Peer>
void AppendAdmin(const RuleContext& ctx, const std::string& origin,
                 const std::vector<model::AdminPolicyRule<Peer>>& rules, std::vector<Rule>* out) {
  const char* dir = ctx.direction == PolicyType::kIngress ? "ingress" : "egress";
  for (size_t i = 0; i < rules.size(); ++i) {
    const model::AdminPolicyRule<Peer>& rule = rules[i];
    std::vector<MaybePeer> peers;
    for (const Peer& p : rule.peers) {
      peers.push_back(std::visit([&](const auto& alt) { return AdminPeer(ctx, alt); }, p));
    }
    std::vector<PortMatch> ports;
    for (const model::AdminPort& p : rule.ports) {
      std::visit([&](const auto& alt) { AdminPort(ctx, alt, &ports); }, p);
    }
    std::optional<std::vector<PortMatch>> maybe_ports;
    if (rule.ports.empty() || !ports.empty()) maybe_ports = std::move(ports);
    // An admin rule always lists peers (1-100); none means it matches nothing.
    Emit(peers, false, maybe_ports, ActionOf(rule.action),
         origin + " " + dir + "[" + std::to_string(i) + "]", out);
  }
}

}  // namespace

void AppendNetworkPolicyRules(const RuleContext& ctx, const model::NetworkPolicy& np,
                              std::vector<Rule>* out) {
  bool ingress = ctx.direction == PolicyType::kIngress;
  const auto& rules = ingress ? np.spec.ingress : np.spec.egress;
  std::string origin = "NetworkPolicy " + np.metadata.namespace_ + "/" + np.metadata.name +
                       (ingress ? " ingress[" : " egress[");
  for (size_t i = 0; i < rules.size(); ++i) {
    std::vector<MaybePeer> peers;
    for (const model::NetworkPolicyPeer& p : rules[i].peers) {
      peers.push_back(NpPeer(ctx, np.metadata.namespace_, p));
    }
    Emit(peers, rules[i].peers.empty(), NpPorts(ctx, rules[i].ports), Action::kAccept,
         origin + std::to_string(i) + "]", out);
  }
}

void AppendAdminRules(const RuleContext& ctx, const std::string& origin,
                      const std::vector<model::AdminIngressRule>& rules, std::vector<Rule>* out) {
  AppendAdmin(ctx, origin, rules, out);
}

void AppendAdminRules(const RuleContext& ctx, const std::string& origin,
                      const std::vector<model::AdminEgressRule>& rules, std::vector<Rule>* out) {
  AppendAdmin(ctx, origin, rules, out);
}

}  // namespace egret::core::netpol
