// The rendered node firewall (core/nodefw) applied through NftDriver to real namespaces (root
// only): structure, idempotence, atomicity, foreign tables, and real packets being masqueraded.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/nftables/nft_driver.h"
#include "adapters/nftables/nft_test_util.h"
#include "core/nodefw/node_firewall.h"

namespace egret::nftables {
namespace {

using nodefw::NodeFirewallConfig;
using nodefw::RenderNodeFirewall;
using nodefw::RenderNodeFirewallDelete;
using testing::NewNftNs;
using testing::NftNs;
using testing::Objects;
using testing::WithoutHandles;

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }
model::IpAddress Ip(std::string_view text) { return *model::IpAddress::Parse(text); }

NodeFirewallConfig DualConfig() {
  return {
      .cluster_pod_cidrs = {C("10.244.0.0/16"), C("fd00:10:244::/56")},
      .node_pod_cidrs = {C("10.244.1.0/24"), C("fd00:10:244:1::/64")},
      .service_cidrs = {C("10.96.0.0/12"), C("fd00:10:96::/112")},
      .node_addresses = {Ip("192.168.50.10"), Ip("192.168.50.11"), Ip("fd00:50::10")},
      .extra_internal_cidrs = {C("172.16.0.0/12")},
      .pod_bridge = "egret0",
  };
}

NodeFirewallConfig V4Config() {
  NodeFirewallConfig cfg = DualConfig();
  auto drop_v6 = [](auto& v) { std::erase_if(v, [](const auto& x) { return !x.is_v4(); }); };
  auto drop_v6_cidr = [](auto& v) {
    std::erase_if(v, [](const model::Cidr& c) { return c.family() != model::Family::kV4; });
  };
  drop_v6_cidr(cfg.cluster_pod_cidrs);
  drop_v6_cidr(cfg.node_pod_cidrs);
  drop_v6_cidr(cfg.service_cidrs);
  drop_v6(cfg.node_addresses);
  return cfg;
}

std::vector<std::string> Names(const std::vector<doc::Value>& objects) {
  std::vector<std::string> out;
  for (const doc::Value& o : objects) out.push_back(o.Find("name")->as_string());
  return out;
}

class KernelNodeFirewall : public ::testing::Test {
 protected:
  void SetUp() override {
    EGRET_SKIP_UNLESS_ROOT();
    StatusOr<NftNs> lab = NewNftNs("nodefw");
    ASSERT_TRUE(lab.ok()) << lab.status().ToString();
    lab_ = std::make_unique<NftNs>(std::move(*lab));
  }
  NftDriver& nft() { return *lab_->nft; }
  doc::Value List() {
    StatusOr<doc::Value> listing = nft().ListTable("inet", "egret");
    EXPECT_TRUE(listing.ok()) << listing.status().ToString();
    return listing.ok() ? *listing : doc::Value();
  }

  std::unique_ptr<NftNs> lab_;
};

TEST_F(KernelNodeFirewall, AppliesTheRenderedRuleset) {
  Status st = nft().Apply(RenderNodeFirewall(DualConfig()));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(nft().TableExists("inet", "egret").value());

  doc::Value listing = List();
  std::vector<doc::Value> sets = Objects(listing, "set");
  EXPECT_EQ(Names(sets), (std::vector<std::string>{"internal4", "internal6", "cluster_pods4",
                                                   "cluster_pods6", "node_pods4", "node_pods6"}));
  ASSERT_NE(sets[0].Find("elem"), nullptr);
  EXPECT_EQ(sets[0].Find("elem")->as_list().size(), 5u);  // 10.96/12 10.244/16 172.16/12 2 nodes
  std::vector<doc::Value> chains = Objects(listing, "chain");
  EXPECT_EQ(Names(chains),
            (std::vector<std::string>{"prerouting", "egress_mark", "forward", "network_policy",
                                      "egress_postrouting", "egress_snat", "postrouting",
                                      "pod_masquerade"}));
  // Egress SNAT runs before every other source NAT (priority 100 is everyone's srcnat).
  const doc::Value& egress_postrouting = chains[4];
  EXPECT_EQ(egress_postrouting.Find("type")->as_string(), "nat");
  EXPECT_EQ(egress_postrouting.Find("hook")->as_string(), "postrouting");
  EXPECT_EQ(egress_postrouting.Find("prio")->as_int(), 90);
  const doc::Value& postrouting = chains[6];
  EXPECT_EQ(postrouting.Find("type")->as_string(), "nat");
  EXPECT_EQ(postrouting.Find("hook")->as_string(), "postrouting");
  EXPECT_EQ(postrouting.Find("prio")->as_int(), 100);
  EXPECT_EQ(chains[2].Find("prio")->as_int(), 0);     // filter
  EXPECT_EQ(chains[0].Find("prio")->as_int(), -150);  // mangle
  // prerouting 1, forward 8, egress_postrouting 1, postrouting 1, pod_masquerade 2; the feature
  // chains are empty.
  EXPECT_EQ(Objects(listing, "rule").size(), 1u + 8u + 1u + 1u + 2u);
}

TEST_F(KernelNodeFirewall, ReapplyingIsIdempotent) {
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  doc::Value first = WithoutHandles(List());
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  EXPECT_EQ(WithoutHandles(List()), first);

  // Replacing with another config and back gives the same ruleset again.
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(V4Config())).ok());
  EXPECT_NE(WithoutHandles(List()), first);
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  EXPECT_EQ(WithoutHandles(List()), first);
}

// Replacement is one transaction: when the kernel refuses any part, the old table stays exactly
// as it was (same handles: nothing was even re-created).
TEST_F(KernelNodeFirewall, RejectedReplacementLeavesThePreviousRuleset) {
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  doc::Value before = List();

  std::string refused_by_kernel = RenderNodeFirewall(V4Config()) + "delete table ip nope\n";
  Status st = nft().Apply(refused_by_kernel);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("Could not process rule: No such file or directory (in \"delete "
                              "table ip nope\")"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(List(), before);

  std::string broken = RenderNodeFirewall(V4Config());
  const std::string accept = "established,related accept";
  broken.replace(broken.find(accept), accept.size(), "established,related acept");
  st = nft().Apply(broken);
  EXPECT_EQ(st.code(), Code::kInvalid);
  const size_t at = broken.find("acept");
  const std::string line =
      std::to_string(1 + std::count(broken.begin(), broken.begin() + at, '\n'));
  EXPECT_NE(st.message().find("line " + line + ", column 37: syntax error, unexpected newline"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("(in \"ct state established,related acept\")"), std::string::npos)
      << st.message();
  EXPECT_EQ(List(), before);
}

TEST_F(KernelNodeFirewall, LeavesForeignTablesAlone) {
  ASSERT_TRUE(nft()
                  .Apply("table ip other {\n"
                         "\tset s { type ipv4_addr; elements = { 10.1.2.3 } }\n"
                         "\tchain input {\n"
                         "\t\ttype filter hook input priority 0; policy accept;\n"
                         "\t\tip saddr @s counter drop\n"
                         "\t}\n"
                         "}\n"
                         "table inet filter {\n\tchain forward {\n"
                         "\t\ttype filter hook forward priority 0; policy accept;\n\t}\n}\n")
                  .ok());
  StatusOr<doc::Value> other = nft().ListTable("ip", "other");
  StatusOr<doc::Value> filter = nft().ListTable("inet", "filter");
  ASSERT_TRUE(other.ok() && filter.ok());

  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(V4Config())).ok());
  ASSERT_TRUE(nft().Apply(RenderNodeFirewallDelete()).ok());
  EXPECT_FALSE(nft().TableExists("inet", "egret").value());
  EXPECT_EQ(nft().ListTable("ip", "other").value(), *other);
  EXPECT_EQ(nft().ListTable("inet", "filter").value(), *filter);
}

TEST_F(KernelNodeFirewall, DeleteSucceedsAlsoWhenAbsent) {
  Status st = nft().Apply(RenderNodeFirewallDelete());
  EXPECT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(nft().Apply(RenderNodeFirewall(DualConfig())).ok());
  ASSERT_TRUE(nft().Apply(RenderNodeFirewallDelete()).ok());
  EXPECT_FALSE(nft().TableExists("inet", "egret").value());
  EXPECT_EQ(nft().ListTable("inet", "egret").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace egret::nftables
