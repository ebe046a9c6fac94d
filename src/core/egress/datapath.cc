#include "core/egress/datapath.h"
#include "core/nodefw/nft_text.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace egret::core::egress {
namespace {

using model::Family;
using model::IpAddress;
using model::IpRange;

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}


const char* AddrType(Family f) { return f == Family::kV4 ? "ipv4_addr" : "ipv6_addr"; }
const char* Proto(Family f) { return f == Family::kV4 ? "ip" : "ip6"; }
char Digit(Family f) { return f == Family::kV4 ? '4' : '6'; }

// A named set or map, elements one per line.
void AppendSet(std::string* out, const std::string& name, const std::string& type, bool map,
               const std::vector<std::string>& elements) {
  *out += "\t" + std::string(map ? "map " : "set ") + name + " {\n\t\ttype " + type +
          "\n\t\tflags interval\n";
  *out += nodefw::NftElementsBlock(elements);
  *out += "\t}\n";
}

void PlanSteering(const EgressDatapathInput& in, EgressDatapath* out) {
  const NodeEgressState& st = *in.state;
  std::vector<std::string> elements[2];
  for (const SteeringRow& row : st.steering) {
    int f = row.source.is_v4() ? 0 : 1;
    elements[f].push_back(row.source.ToString() + " . " + row.destination.ToString() + " : " +
                          Hex(EgressMark(row.target)));
  }
  for (Family f : kFamilies) {
    std::string type = std::string(AddrType(f)) + " . " + AddrType(f) + " : mark";
    AppendSet(&out->nft_definitions, std::string("egress_steer") + Digit(f), type, true,
              elements[f == Family::kV4 ? 0 : 1]);
    out->nft_mark_rules += std::string("\t\tmeta mark set ") + Proto(f) + " saddr . " + Proto(f) +
                           " daddr map @egress_steer" + Digit(f) + "\n";
  }
}

// Routes and rules for the targets this node's pods are steered to.
void PlanRouting(const EgressDatapathInput& in, EgressDatapath* out) {
  const NodeEgressState& st = *in.state;
  std::map<size_t, std::set<Family>> used;  // target → families with rows
  for (const SteeringRow& row : st.steering) used[row.target].insert(row.source.family());
  if (used.empty()) return;
  for (Family f : kFamilies) {
    model::Rule local;
    local.family = f;
    local.priority = kLocalRulePriority;
    local.iif = "lo";
    local.table = 254;
    out->rules.push_back(std::move(local));
  }
  std::vector<std::string> dead;
  for (const auto& [t, families] : used) {
    if (t >= kMaxEgressTargets) {
      out->problems.push_back("target " + st.targets[t].key + ": more than " +
                              std::to_string(kMaxEgressTargets) + " egress targets on one node");
      continue;
    }
    const uint32_t table = kEgressTableBase + static_cast<uint32_t>(t);
    for (Family f : kFamilies) {
      model::Rule mark;
      mark.family = f;
      mark.priority = kEgressRuleBase + static_cast<uint32_t>(t);
      mark.fwmark = EgressMark(t);
      mark.fwmask = kEgressMarkMask;
      mark.table = table;
      out->rules.push_back(std::move(mark));
    }
    const std::optional<std::string>& active = in.active[t];
    if (!active) {
      dead.push_back(Hex(EgressMark(t)));
      continue;
    }
    if (*active == in.self) continue;  // the table stays empty: main routes it here
    static const std::map<std::string, core::netplan::NodeNet> kNone;
    const auto& nodes = in.nodes ? *in.nodes : kNone;
    auto node = nodes.find(*active);
    for (Family f : families) {
      model::Route r;
      r.dst = model::Cidr(f == Family::kV4 ? IpAddress::V4(0) : IpAddress::V6({}), 0);
      r.table = table;
      r.metric = f == Family::kV6 ? core::netplan::kIpv6DefaultMetric : 0;
      std::optional<IpAddress> via;
      if (node != nodes.end() && in.mode == core::netplan::Mode::kEncap) {
        for (const model::Cidr& c : node->second.pod_cidrs) {
          if (c.family() == f && !via) via = core::netplan::PodGateway(c);
        }
        r.device = std::string(core::netplan::kVxlan);
        r.onlink = true;
      } else if (node != nodes.end()) {
        via = core::netplan::TunnelAddress(node->second, f);
        r.device = in.underlay_device;
      }
      if (!via) {
        out->problems.push_back("target " + st.targets[t].key + ": node " + *active + " has no " +
                                std::string(model::FamilyName(f)) + " address to route to");
        continue;
      }
      r.gateway = via;
      out->routes.push_back(std::move(r));
    }
  }
  if (!dead.empty()) {
    std::string set;
    for (const std::string& m : dead) set += (set.empty() ? "" : ", ") + m;
    out->nft_mark_rules += "\t\tmeta mark & " + Hex(kEgressMarkMask) + " { " + set +
                           " } counter drop comment \"no alive gateway node\"\n";
  }
}

void PlanSnat(const EgressDatapathInput& in, EgressDatapath* out) {
  const NodeEgressState& st = *in.state;
  std::set<IpAddress> eips;
  for (const SnatDuty& duty : st.snat) {
    const size_t t = duty.target;
    const bool active = in.active[t] && *in.active[t] == in.self;
    const EgressTarget& target = st.targets[t];
    for (Family f : kFamilies) {
      if (active && target.eip.Of(f)) eips.insert(*target.eip.Of(f));
    }
    for (size_t j = 0; j < duty.matches.size(); ++j) {
      const SnatMatch& m = duty.matches[j];
      if (m.sources.empty() || m.destinations.empty()) continue;
      const Family f = m.destinations.front().family();
      if (!target.use_node_ip() && !target.eip.Of(f)) continue;
      const std::string base = "egress_t" + std::to_string(t) + "_" + std::to_string(j);
      std::vector<std::string> src, dst;
      for (const IpAddress& ip : m.sources) src.push_back(ip.ToString());
      for (const IpRange& r : m.destinations) dst.push_back(r.ToString());
      AppendSet(&out->nft_definitions, base + "_src", AddrType(f), false, src);
      AppendSet(&out->nft_definitions, base + "_dst", AddrType(f), false, dst);
      // A candidate that is not active drops what a source node sent it (unmarked here: the
      // mark does not cross the tunnel) instead of letting it out with the pod's address.
      std::string action = !active ? std::string("drop")
                           : target.use_node_ip()
                               ? std::string("masquerade")
                               : std::string("snat ") + Proto(f) + " to " +
                                     target.eip.Of(f)->ToString();
      std::string guard = active ? "" : "meta mark & " + Hex(kEgressMarkMask) + " == 0 ";
      out->nft_snat_rules += std::string("\t\t") + guard + Proto(f) + " saddr @" + base +
                             "_src " + Proto(f) + " daddr @" + base + "_dst counter " + action +
                             " comment \"" + target.gateway + " " + target.key +
                             (active ? "" : " (not the active node)") + "\"\n";
    }
  }
  out->eips.assign(eips.begin(), eips.end());
  // Steered packets leaving for a remote gateway keep their pod source address.
  for (Family f : kFamilies) {
    out->nft_snat_rules += "\t\tmeta mark & " + Hex(kEgressMarkMask) + " != 0 snat " + Proto(f) +
                           " to " + Proto(f) + " saddr\n";
  }
}

}  // namespace

EgressDatapath PlanEgressDatapath(const EgressDatapathInput& in) {
  EgressDatapath out;
  if (!in.state || in.active.size() != in.state->targets.size()) {
    out.problems.push_back("internal: the active-node list does not match the targets");
    return out;
  }
  PlanSteering(in, &out);
  PlanRouting(in, &out);
  PlanSnat(in, &out);
  return out;
}

}  // namespace egret::core::egress
