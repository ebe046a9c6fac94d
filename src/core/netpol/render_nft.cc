#include "core/netpol/render_nft.h"
#include "core/nodefw/nft_text.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

namespace egret::core::netpol {
namespace {

using model::Family;
using model::IpAddress;
using model::Protocol;

constexpr Family kBoth[] = {Family::kV4, Family::kV6};
constexpr Protocol kAllProtocols[] = {Protocol::kTCP, Protocol::kUDP, Protocol::kSCTP};

uint64_t Fnv1a(std::string_view s, uint64_t salt = 0) {
  uint64_t h = 14695981039346656037ull ^ salt;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

char Digit(Family f) { return f == Family::kV4 ? '4' : '6'; }
const char* Ip(Family f) { return f == Family::kV4 ? "ip" : "ip6"; }
const char* AddrType(Family f) { return f == Family::kV4 ? "ipv4_addr" : "ipv6_addr"; }

const char* ProtoName(Protocol p) {
  switch (p) {
    case Protocol::kTCP:
      return "tcp";
    case Protocol::kUDP:
      return "udp";
    case Protocol::kSCTP:
      return "sctp";
  }
  return "tcp";
}

// A comment nftables accepts: at most 127 bytes, no double quotes or control characters.
std::string Comment(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= 127) break;
    out += (c == '"' || static_cast<unsigned char>(c) < 0x20) ? '\'' : c;
  }
  return " comment \"" + out + "\"";
}


std::string Braced(const std::vector<std::string>& items) {
  std::string out = "{ ";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + " }";
}

// The plain port matches of a rule as `proto . first-last` elements, merged per protocol:
// nftables rejects overlapping intervals in one set.
std::vector<std::string> PortElements(const std::vector<PortMatch>& ports) {
  std::map<Protocol, std::vector<std::pair<int, int>>> by_proto;
  for (const PortMatch& p : ports) {
    if (!p.port_set.empty()) continue;
    if (p.protocol) {
      by_proto[*p.protocol].push_back({p.first, p.last});
    } else {
      for (Protocol proto : kAllProtocols) by_proto[proto].push_back({p.first, p.last});
    }
  }
  std::vector<std::string> out;
  for (auto& [proto, ranges] : by_proto) {
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<int, int>> merged;
    for (const auto& r : ranges) {
      if (!merged.empty() && r.first <= merged.back().second + 1) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    for (const auto& [first, last] : merged) {
      std::string ports_text = first == last ? std::to_string(first)
                                             : std::to_string(first) + "-" + std::to_string(last);
      out.push_back(std::string(ProtoName(proto)) + " . " + ports_text);
    }
  }
  return out;
}

// One alternative of a rule's match: an address family it is bound to (nullopt: any) and text.
struct Clause {
  std::optional<Family> family;
  std::string text;
};

std::vector<Clause> PeerClauses(const PeerMatch& peer, bool ingress) {
  const char* field = ingress ? "saddr" : "daddr";
  std::vector<Clause> out;
  switch (peer.kind) {
    case PeerMatch::Kind::kAny:
      out.push_back({std::nullopt, ""});
      break;
    case PeerMatch::Kind::kSet:
      for (Family f : kBoth) {
        out.push_back({f, std::string(Ip(f)) + " " + field + " @" + peer.set + Digit(f) + " "});
      }
      break;
    case PeerMatch::Kind::kRanges:
      for (Family f : kBoth) {
        std::vector<std::string> items;
        for (const model::IpRange& r : peer.ranges) {
          if (r.family() == f) items.push_back(r.ToString());
        }
        if (!items.empty()) {
          out.push_back({f, std::string(Ip(f)) + " " + field + " " + Braced(items) + " "});
        }
      }
      break;
  }
  return out;
}

std::vector<Clause> PortClauses(const std::vector<PortMatch>& ports) {
  std::vector<Clause> out;
  if (ports.empty()) return {{std::nullopt, ""}};
  std::vector<std::string> plain = PortElements(ports);
  if (!plain.empty())
    out.push_back({std::nullopt, "meta l4proto . th dport " + Braced(plain) + " "});
  for (const PortMatch& p : ports) {
    if (p.port_set.empty()) continue;
    std::string proto =
        p.protocol ? std::string("meta l4proto ") + ProtoName(*p.protocol) + " " : std::string();
    for (Family f : kBoth) {
      out.push_back(
          {f, proto + Ip(f) + " daddr . meta l4proto . th dport @" + p.port_set + Digit(f) + " "});
    }
  }
  return out;
}

std::string Verdict(Action a, const std::string& next) {
  switch (a) {
    case Action::kAccept:
      return "return";
    case Action::kDrop:
      return "counter drop";
    case Action::kNextTier:
      return next.empty() ? "return" : "goto " + next;
  }
  return "return";
}

void AppendRule(const Rule& rule, bool ingress, const std::string& next, std::string* out) {
  const std::string verdict = Verdict(rule.action, next);
  const std::string comment = Comment(rule.origin);
  for (const Clause& peer : PeerClauses(rule.peer, ingress)) {
    for (const Clause& port : PortClauses(rule.ports)) {
      if (peer.family && port.family && *peer.family != *port.family) continue;
      *out += "\t\t" + peer.text + port.text + verdict + comment + "\n";
    }
  }
}

// The program chains of one render, in an order in which every chain is declared after the
// chains it jumps to. Chains are named after their text, so equal programs share chains.
class ChainCatalog {
 public:
  std::string Add(const std::string& text) {
    for (uint64_t salt = 0;; ++salt) {
      std::string name = "np_" + Hex16(Fnv1a(text, salt));
      auto [it, inserted] = texts_.emplace(name, text);
      if (inserted) {
        order_.push_back(name);
        return name;
      }
      if (it->second == text) return name;
    }
  }
  void Render(std::string* out) const {
    for (const std::string& name : order_) {
      *out += "\tchain " + name + " {\n" + texts_.at(name) + "\t}\n";
    }
  }
  size_t size() const { return order_.size(); }

 private:
  std::map<std::string, std::string> texts_;
  std::vector<std::string> order_;
};

// The entry chain of a direction program; "" when the direction accepts everything.
std::string RenderDirection(const DirectionProgram& prog, bool ingress, ChainCatalog* chains) {
  std::string next;  // the chain after the current tier; "" = accept (return)
  for (const TierProgram* tier : {&prog.baseline, &prog.network_policy, &prog.admin}) {
    const std::string otherwise = Verdict(tier->otherwise, next);
    if (tier->rules.empty() && otherwise == Verdict(Action::kNextTier, next)) continue;
    std::string text;
    for (const Rule& r : tier->rules) AppendRule(r, ingress, next, &text);
    text += "\t\t" + otherwise + "\n";
    next = chains->Add(text);
  }
  return next;
}

std::string PodKey(std::string_view ns, std::string_view name) {
  return std::string(ns) + "/" + std::string(name);
}

// Address -> pod ("ns/name"): the agent's records first, then the state's listing.
std::map<IpAddress, std::string> Owners(const PolicyRenderInput& in) {
  std::map<IpAddress, std::string> owner;
  for (const LocalPod& p : in.local_pods) {
    for (const IpAddress& ip : p.addresses) owner.emplace(ip, PodKey(p.namespace_, p.name));
  }
  for (const NodePod& p : in.state.node_pods) {
    for (const IpAddress& ip : p.addresses) owner.emplace(ip, PodKey(p.namespace_, p.name));
  }
  for (const PodProgram& p : in.state.pods) {
    for (const IpAddress& ip : p.addresses) owner.emplace(ip, PodKey(p.namespace_, p.name));
  }
  return owner;
}

PolicyDispatch Dispatch(const PolicyRenderInput& in, ChainCatalog* chains) {
  PolicyDispatch d;
  d.owner = Owners(in);
  std::map<std::string, std::pair<std::string, std::string>> entries;  // pod -> (in, out)
  for (const PodProgram& p : in.state.pods) {
    entries[PodKey(p.namespace_, p.name)] = {RenderDirection(p.ingress, true, chains),
                                             RenderDirection(p.egress, false, chains)};
  }
  std::set<std::string> known;
  for (const NodePod& p : in.state.node_pods) known.insert(PodKey(p.namespace_, p.name));
  for (const PodProgram& p : in.state.pods) known.insert(PodKey(p.namespace_, p.name));
  for (const auto& [ip, pod] : d.owner) {
    if (!known.contains(pod)) {
      d.pending[ip] = pod;
      continue;
    }
    auto it = entries.find(pod);
    if (it == entries.end()) continue;
    if (!it->second.first.empty()) d.ingress[ip] = it->second.first;
    if (!it->second.second.empty()) d.egress[ip] = it->second.second;
  }
  return d;
}

void AppendSet(const std::string& name, const std::string& type, const std::string& comment,
               const std::vector<std::string>& elements, std::string* out) {
  *out += "\tset " + name + " {\n\t\ttype " + type + "\n";
  if (!comment.empty()) *out += "\t\t" + Comment(comment).substr(1) + "\n";
  *out += nodefw::NftElementsBlock(elements) + "\t}\n";
}

void AppendStateSets(const NodePolicyState& st, std::string* out) {
  for (const AddressSet& s : st.address_sets) {
    for (Family f : kBoth) {
      std::vector<std::string> elements;
      for (const IpAddress& ip : s.members) {
        if (ip.family() == f) elements.push_back(ip.ToString());
      }
      AppendSet(s.name + Digit(f), AddrType(f), s.key, elements, out);
    }
  }
  for (const PortSet& s : st.port_sets) {
    for (Family f : kBoth) {
      std::vector<std::string> elements;
      for (const PortTuple& t : s.members) {
        if (t.address.family() != f) continue;
        elements.push_back(t.address.ToString() + " . " + ProtoName(t.protocol) + " . " +
                           std::to_string(t.port));
      }
      AppendSet(s.name + Digit(f), std::string(AddrType(f)) + " . inet_proto . inet_service", s.key,
                elements, out);
    }
  }
}

std::string MapElement(const IpAddress& ip, const std::string& owner, const std::string& chain) {
  return ip.ToString() + Comment(owner) + " : jump " + chain;
}

void AppendDispatch(const PolicyDispatch& d, std::string* out) {
  for (Family f : kBoth) {
    std::vector<std::string> pending;
    for (const auto& [ip, pod] : d.pending) {
      if (ip.family() == f) pending.push_back(ip.ToString() + Comment(pod));
    }
    AppendSet(std::string("np_pending") + Digit(f), AddrType(f),
              "pods plumbed here, not yet in the policy state", pending, out);
  }
  const std::pair<const char*, const std::map<IpAddress, std::string>*> maps[] = {
      {"np_ingress", &d.ingress}, {"np_egress", &d.egress}};
  for (const auto& [base, entries] : maps) {
    for (Family f : kBoth) {
      std::vector<std::string> elements;
      for (const auto& [ip, chain] : *entries) {
        if (ip.family() == f) elements.push_back(MapElement(ip, d.owner.at(ip), chain));
      }
      *out += std::string("\tmap ") + base + Digit(f) + " {\n\t\ttype " + AddrType(f) +
              " : verdict\n" + nodefw::NftElementsBlock(elements) + "\t}\n";
    }
  }
}

constexpr std::string_view kRules =
    "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit,"
    " nd-router-advert } accept comment \"neighbour discovery is never policed\"\n"
    "\t\tip saddr @np_pending4 counter drop comment \"pod not yet computed\"\n"
    "\t\tip6 saddr @np_pending6 counter drop comment \"pod not yet computed\"\n"
    "\t\tip daddr @np_pending4 counter drop comment \"pod not yet computed\"\n"
    "\t\tip6 daddr @np_pending6 counter drop comment \"pod not yet computed\"\n"
    "\t\tip saddr vmap @np_egress4\n"
    "\t\tip6 saddr vmap @np_egress6\n"
    "\t\tip daddr vmap @np_ingress4\n"
    "\t\tip6 daddr vmap @np_ingress6\n";

}  // namespace

PolicyDispatch DispatchOf(const PolicyRenderInput& in) {
  ChainCatalog chains;
  return Dispatch(in, &chains);
}

PolicyNft RenderPolicy(const PolicyRenderInput& in) {
  PolicyNft out;
  ChainCatalog chains;
  out.dispatch = Dispatch(in, &chains);
  out.chains = chains.size();
  out.definitions =
      "\t# NetworkPolicy (core/netpol/render_nft.h): address and port sets, one chain per\n"
      "\t# distinct tier program, and the maps from pod address to its program.\n";
  AppendStateSets(in.state, &out.definitions);
  chains.Render(&out.definitions);
  AppendDispatch(out.dispatch, &out.definitions);
  out.rules = std::string(kRules);
  return out;
}

std::string RenderDispatchDelta(const PolicyDispatch& before, const PolicyDispatch& after) {
  std::string dels, adds;
  auto element_cmd = [](const char* verb, const std::string& object, const IpAddress& ip,
                        const std::string& element) {
    return std::string(verb) + " element inet egret " + object + Digit(ip.family()) + " { " +
           element + " }\n";
  };
  const std::pair<const char*, std::pair<const std::map<IpAddress, std::string>*,
                                         const std::map<IpAddress, std::string>*>>
      maps[] = {{"np_ingress", {&before.ingress, &after.ingress}},
                {"np_egress", {&before.egress, &after.egress}},
                {"np_pending", {&before.pending, &after.pending}}};
  for (const auto& [base, pair] : maps) {
    const bool is_set = std::string_view(base) == "np_pending";
    const auto& [old_map, new_map] = pair;
    for (const auto& [ip, value] : *old_map) {
      auto it = new_map->find(ip);
      if (it != new_map->end() && it->second == value) continue;
      dels += element_cmd("delete", base, ip, ip.ToString());
    }
    for (const auto& [ip, value] : *new_map) {
      auto it = old_map->find(ip);
      if (it != old_map->end() && it->second == value) continue;
      const std::string owner = after.owner.contains(ip) ? after.owner.at(ip) : value;
      adds += element_cmd("add", base, ip,
                          is_set ? ip.ToString() + Comment(value) : MapElement(ip, owner, value));
    }
  }
  return dels + adds;
}

}  // namespace egret::core::netpol
