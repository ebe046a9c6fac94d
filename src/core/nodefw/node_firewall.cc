#include "core/nodefw/node_firewall.h"

#include <algorithm>

#include "common/strings.h"
#include "core/nodefw/nft_text.h"
#include "model/field_errors.h"

namespace egret::nodefw {
namespace {

using model::Cidr;
using model::Family;

// Linux allows up to 15 bytes; the renderer quotes the name inside the script, so only
// characters that need no escaping are accepted.
bool IsValidInterfaceName(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Cidr HostCidr(const model::IpAddress& ip) { return Cidr(ip, ip.bits()); }

// The CIDRs of one family, sorted, without duplicates and without CIDRs nested in another:
// nftables rejects overlapping elements of an interval set ("conflicting intervals").
// Two CIDRs either nest or are disjoint, and after sorting an enclosing CIDR comes before
// everything inside it, so comparing with the last kept one is enough.
std::vector<Cidr> Normalized(std::vector<Cidr> cidrs, Family family) {
  std::erase_if(cidrs, [&](const Cidr& c) { return c.family() != family; });
  std::sort(cidrs.begin(), cidrs.end());
  std::vector<Cidr> kept;
  for (const Cidr& c : cidrs) {
    if (!kept.empty() && kept.back().Contains(c)) continue;
    kept.push_back(c);
  }
  return kept;
}

std::string ElementText(const Cidr& c) {
  if (c.prefix_len() == c.address().bits()) return c.address().ToString();
  return c.ToString();
}

// One named interval set, elements one per line so that a diff of two scripts reads well.
void AppendSet(std::string* out, std::string_view name, Family family,
               const std::vector<Cidr>& elements) {
  *out += "\tset ";
  *out += name;
  *out += " {\n\t\ttype ";
  *out += family == Family::kV4 ? "ipv4_addr" : "ipv6_addr";
  *out += "\n\t\tflags interval\n";
  std::vector<std::string> texts;
  for (const Cidr& c : elements) texts.push_back(ElementText(c));
  *out += NftElementsBlock(texts);
  *out += "\t}\n";
}

std::vector<Cidr> InternalCidrs(const NodeFirewallConfig& cfg) {
  std::vector<Cidr> all = cfg.cluster_pod_cidrs;
  all.insert(all.end(), cfg.service_cidrs.begin(), cfg.service_cidrs.end());
  all.insert(all.end(), cfg.extra_internal_cidrs.begin(), cfg.extra_internal_cidrs.end());
  for (const model::IpAddress& ip : cfg.node_addresses) all.push_back(HostCidr(ip));
  return all;
}

void AppendSets(std::string* out, const NodeFirewallConfig& cfg) {
  const std::vector<Cidr> internal = InternalCidrs(cfg);
  *out +=
      "\t# Address sets (interval). The chains below and later features match these names.\n"
      "\t# internal4/6: destinations inside the cluster (pod CIDRs, service CIDRs, node\n"
      "\t# addresses, extra internal CIDRs); traffic to them keeps its pod source address.\n";
  AppendSet(out, "internal4", Family::kV4, Normalized(internal, Family::kV4));
  AppendSet(out, "internal6", Family::kV6, Normalized(internal, Family::kV6));
  *out += "\t# cluster_pods4/6: every pod CIDR of the cluster.\n";
  AppendSet(out, "cluster_pods4", Family::kV4, Normalized(cfg.cluster_pod_cidrs, Family::kV4));
  AppendSet(out, "cluster_pods6", Family::kV6, Normalized(cfg.cluster_pod_cidrs, Family::kV6));
  *out += "\t# node_pods4/6: this node's pod CIDRs, the sources masqueraded on leaving.\n";
  AppendSet(out, "node_pods4", Family::kV4, Normalized(cfg.node_pod_cidrs, Family::kV4));
  AppendSet(out, "node_pods6", Family::kV6, Normalized(cfg.node_pod_cidrs, Family::kV6));
}

// The chain skeleton. It does not depend on the config apart from the bridge name, so every
// node has the same structure and later features can rely on it.
void AppendChains(std::string* out, const NodeFirewallConfig& cfg) {
  const std::string quoted_bridge = "\"" + cfg.pod_bridge + "\"";
  *out +=
      "\n"
      "\t# Chains. A base chain runs fixed steps in a fixed order; a step that belongs to a\n"
      "\t# later feature jumps into that feature's own regular chain, empty until it is filled.\n"
      "\n"
      "\t# prerouting (mangle, before the routing decision): egress steering marks.\n"
      "\tchain prerouting {\n"
      "\t\ttype filter hook prerouting priority mangle; policy accept;\n"
      "\t\tjump egress_mark\n"
      "\t}\n"
      "\tchain egress_mark {\n";
  *out += cfg.egress_mark_rules;
  *out +=
      "\t}\n"
      "\n"
      "\t# forward (filter): replies of accepted connections, then NetworkPolicy, then the\n"
      "\t# base: traffic of this node's pods (bridge) and of any pod CIDR is accepted.\n"
      "\tchain forward {\n"
      "\t\ttype filter hook forward priority filter; policy accept;\n"
      "\t\tct state established,related accept\n"
      "\t\tjump network_policy\n";
  *out += "\t\tiifname " + quoted_bridge + " accept\n";
  *out += "\t\toifname " + quoted_bridge + " accept\n";
  *out +=
      "\t\tip saddr @cluster_pods4 accept\n"
      "\t\tip daddr @cluster_pods4 accept\n"
      "\t\tip6 saddr @cluster_pods6 accept\n"
      "\t\tip6 daddr @cluster_pods6 accept\n"
      "\t}\n"
      "\tchain network_policy {\n";
  *out += cfg.policy_rules;
  *out +=
      "\t}\n"
      "\n"
      "\t# egress_postrouting (srcnat - 10): egress gateway SNAT, before any other source NAT\n"
      "\t# of this or another table (iptables included): the first NAT binding of a connection\n"
      "\t# is the one that holds, so Egret's EIPs win whatever was installed first.\n"
      "\tchain egress_postrouting {\n"
      "\t\ttype nat hook postrouting priority 90; policy accept;\n"
      "\t\tjump egress_snat\n"
      "\t}\n"
      "\tchain egress_snat {\n";
  *out += cfg.egress_snat_rules;
  *out +=
      "\t}\n"
      "\n"
      "\t# postrouting (srcnat, written as 100): pods leaving the cluster are masqueraded to\n"
      "\t# this node's address. Pod to pod is never masqueraded.\n"
      "\tchain postrouting {\n"
      "\t\ttype nat hook postrouting priority 100; policy accept;\n"
      "\t\tjump pod_masquerade\n"
      "\t}\n"
      "\tchain pod_masquerade {\n"
      "\t\tip saddr @node_pods4 ip daddr != @internal4 masquerade\n"
      "\t\tip6 saddr @node_pods6 ip6 daddr != @internal6 masquerade\n"
      "\t}\n";
}

constexpr std::string_view kReplaceHeader =
    "# Egret node firewall (table inet egret), generated by the agent: edits are overwritten.\n"
    "# One transaction: the empty declaration lets the delete succeed when the table is absent,\n"
    "# and the kernel commits delete and re-create together, so packets never see the table\n"
    "# missing. No other table is touched.\n"
    "table inet egret {}\n"
    "delete table inet egret\n";

}  // namespace

Status ValidateNodeFirewallConfig(const NodeFirewallConfig& cfg) {
  model::FieldErrors errs;
  if (!IsValidInterfaceName(cfg.pod_bridge)) {
    errs.Add("podBridge", Quote(cfg.pod_bridge) +
                              " is not a valid interface name: use 1-15 letters, digits, '-', "
                              "'_' or '.'");
  }
  for (size_t i = 0; i < cfg.node_pod_cidrs.size(); ++i) {
    const Cidr& c = cfg.node_pod_cidrs[i];
    bool inside = std::any_of(cfg.cluster_pod_cidrs.begin(), cfg.cluster_pod_cidrs.end(),
                              [&](const Cidr& cluster) { return cluster.Contains(c); });
    if (!inside) {
      errs.Add(model::Index("nodePodCIDRs", i),
               Quote(c.ToString()) + " is not inside any of clusterPodCIDRs: " +
                   "a node's pod CIDR must be part of the cluster's");
    }
  }
  if (errs.empty()) return Status::Ok();
  return errs.ToStatus("NodeFirewall", "", "inet egret");
}

std::string RenderNodeFirewall(const NodeFirewallConfig& cfg) {
  std::string out(kReplaceHeader);
  out += "table inet egret {\n";
  AppendSets(&out, cfg);
  out += cfg.egress_definitions;
  out += cfg.policy_definitions;
  AppendChains(&out, cfg);
  out += "}\n";
  return out;
}

std::string RenderNodeFirewallDelete() {
  return "# Removes Egret's node firewall (table inet egret) and nothing else; the empty\n"
         "# declaration makes this succeed also when the table is absent.\n"
         "table inet egret {}\n"
         "delete table inet egret\n";
}

}  // namespace egret::nodefw
