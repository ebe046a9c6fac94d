#include "core/nodefw/node_firewall.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/netpol/render_nft.h"

namespace egret::nodefw {
namespace {

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }
model::IpAddress Ip(std::string_view text) { return *model::IpAddress::Parse(text); }

NodeFirewallConfig V4Config() {
  return {
      .cluster_pod_cidrs = {C("10.244.0.0/16")},
      .node_pod_cidrs = {C("10.244.1.0/24")},
      .service_cidrs = {C("10.96.0.0/12")},
      .node_addresses = {Ip("192.168.50.11"), Ip("192.168.50.10"), Ip("192.168.50.12")},
      .extra_internal_cidrs = {C("172.16.0.0/12")},
      .pod_bridge = "egret0",
  };
}

NodeFirewallConfig V6Config() {
  return {
      .cluster_pod_cidrs = {C("fd00:10:244::/56")},
      .node_pod_cidrs = {C("fd00:10:244:1::/64")},
      .service_cidrs = {C("fd00:10:96::/112")},
      .node_addresses = {Ip("fd00:50::10"), Ip("fd00:50::11")},
      .extra_internal_cidrs = {},
      .pod_bridge = "egret0",
  };
}

NodeFirewallConfig DualConfig() {
  NodeFirewallConfig cfg = V4Config();
  NodeFirewallConfig v6 = V6Config();
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  append(cfg.cluster_pod_cidrs, v6.cluster_pod_cidrs);
  append(cfg.node_pod_cidrs, v6.node_pod_cidrs);
  append(cfg.service_cidrs, v6.service_cidrs);
  append(cfg.node_addresses, v6.node_addresses);
  return cfg;
}

// Compares with testdata/NAME; EGRET_UPDATE_GOLDEN=1 rewrites the file instead (review the diff).
void ExpectGolden(const std::string& actual, const std::string& name) {
  const std::string path = std::string(EGRET_NODEFW_TESTDATA) + "/" + name;
  if (const char* update = std::getenv("EGRET_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << path;
}

TEST(RenderNodeFirewall, MatchesGoldenIpv4Only) {
  ExpectGolden(RenderNodeFirewall(V4Config()), "v4_only.nft");
}

TEST(RenderNodeFirewall, MatchesGoldenIpv6Only) {
  ExpectGolden(RenderNodeFirewall(V6Config()), "v6_only.nft");
}

TEST(RenderNodeFirewall, MatchesGoldenDualStack) {
  ExpectGolden(RenderNodeFirewall(DualConfig()), "dual.nft");
}

// NetworkPolicy fragments: x/a on this node, ingress isolated by a NetworkPolicy allowing pods
// of the set a1 on TCP 80; a pod plumbed here that the state does not list yet is pending.
TEST(RenderNodeFirewall, MatchesGoldenWithPolicy) {
  namespace np = core::netpol;
  np::NodePolicyState st;
  st.node = "n1";
  st.address_sets.push_back({"a1", "pods ns=x pod={pod=b}", {Ip("10.244.2.11")}});
  st.node_pods = {{"x", "a", {Ip("10.244.1.10")}}};
  np::PodProgram p;
  p.namespace_ = "x";
  p.name = "a";
  p.addresses = {Ip("10.244.1.10")};
  np::Rule rule;
  rule.peer.kind = np::PeerMatch::Kind::kSet;
  rule.peer.set = "a1";
  rule.ports.push_back({model::Protocol::kTCP, 80, 80, ""});
  rule.origin = "NetworkPolicy x/allow-b ingress[0]";
  p.ingress.network_policy.rules.push_back(rule);
  p.ingress.network_policy.otherwise = np::Action::kDrop;
  p.ingress.baseline.otherwise = np::Action::kAccept;
  p.egress.baseline.otherwise = np::Action::kAccept;
  st.pods.push_back(p);
  np::PolicyNft nft = np::RenderPolicy({st, {{"x", "new", {Ip("10.244.1.20")}}}});
  NodeFirewallConfig cfg = V4Config();
  cfg.policy_definitions = nft.definitions;
  cfg.policy_rules = nft.rules;
  ExpectGolden(RenderNodeFirewall(cfg), "v4_policy.nft");
}

// The chain skeleton is the same whatever the addresses: later features rely on it.
TEST(RenderNodeFirewall, ChainStructureDoesNotDependOnAddresses) {
  auto chains = [](const std::string& script) { return script.substr(script.find("\t# Chains")); };
  EXPECT_EQ(chains(RenderNodeFirewall(V4Config())), chains(RenderNodeFirewall(V6Config())));
  EXPECT_EQ(chains(RenderNodeFirewall(V4Config())), chains(RenderNodeFirewall({})));
}

TEST(RenderNodeFirewall, ReplacesOnlyItsOwnTableInOneScript) {
  const std::string script = RenderNodeFirewall(DualConfig());
  EXPECT_EQ(script.find("table inet egret {}\ndelete table inet egret\ntable inet egret {\n"),
            script.find("table inet egret {}"));
  EXPECT_EQ(script.find("flush ruleset"), std::string::npos);
  size_t tables = 0;
  for (size_t at = script.find("\ntable "); at != std::string::npos;
       at = script.find("\ntable ", at + 1)) {
    EXPECT_EQ(script.compare(at, 18, "\ntable inet egret "), 0) << script.substr(at, 40);
    ++tables;
  }
  EXPECT_EQ(tables, 2u);
}

TEST(RenderNodeFirewall, DropsDuplicateAndNestedElements) {
  NodeFirewallConfig cfg = V4Config();
  cfg.extra_internal_cidrs = {C("10.244.7.0/24"), C("192.168.50.0/24"), C("10.96.0.0/12")};
  cfg.node_addresses.push_back(Ip("192.168.50.10"));
  const std::string script = RenderNodeFirewall(cfg);
  const std::string internal4 = script.substr(script.find("set internal4"));
  EXPECT_EQ(internal4.substr(0, internal4.find("\t\t}\n")),
            "set internal4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {\n"
            "\t\t\t10.96.0.0/12,\n\t\t\t10.244.0.0/16,\n\t\t\t192.168.50.0/24\n");
}

TEST(RenderNodeFirewall, UsesTheConfiguredBridge) {
  NodeFirewallConfig cfg = V4Config();
  cfg.pod_bridge = "cbr-1";
  const std::string script = RenderNodeFirewall(cfg);
  EXPECT_NE(script.find("\t\tiifname \"cbr-1\" accept\n\t\toifname \"cbr-1\" accept\n"),
            std::string::npos);
}

TEST(RenderNodeFirewallDelete, RemovesOnlyTableInetEgret) {
  const std::string script = RenderNodeFirewallDelete();
  EXPECT_EQ(script.substr(script.find("\ntable") + 1),
            "table inet egret {}\ndelete table inet egret\n");
}

TEST(ValidateNodeFirewallConfig, AcceptsValidConfigs) {
  EXPECT_TRUE(ValidateNodeFirewallConfig(V4Config()).ok());
  EXPECT_TRUE(ValidateNodeFirewallConfig(V6Config()).ok());
  EXPECT_TRUE(ValidateNodeFirewallConfig(DualConfig()).ok());
  EXPECT_TRUE(ValidateNodeFirewallConfig({}).ok());
}

TEST(ValidateNodeFirewallConfig, RejectsBadBridgeName) {
  for (std::string bad : {"", "egret0\" accept", "a-name-of-16byte", "..", "br 0"}) {
    NodeFirewallConfig cfg = V4Config();
    cfg.pod_bridge = bad;
    Status st = ValidateNodeFirewallConfig(cfg);
    EXPECT_EQ(st.code(), Code::kInvalid) << bad;
    EXPECT_NE(st.message().find("NodeFirewall \"inet egret\": podBridge: "), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find("is not a valid interface name"), std::string::npos);
  }
  NodeFirewallConfig ok = V4Config();
  ok.pod_bridge = "a-name-of-15byt";
  EXPECT_TRUE(ValidateNodeFirewallConfig(ok).ok());
}

TEST(ValidateNodeFirewallConfig, RejectsNodePodCidrOutsideTheCluster) {
  NodeFirewallConfig cfg = DualConfig();
  cfg.node_pod_cidrs.push_back(C("10.9.0.0/24"));
  Status st = ValidateNodeFirewallConfig(cfg);
  EXPECT_EQ(st.message(),
            "NodeFirewall \"inet egret\": nodePodCIDRs[2]: \"10.9.0.0/24\" is not inside any of "
            "clusterPodCIDRs: a node's pod CIDR must be part of the cluster's");
}

}  // namespace
}  // namespace egret::nodefw
