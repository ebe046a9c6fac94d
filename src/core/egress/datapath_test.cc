// The egress datapath of one node: steering map, marks, rules and routes per active node, SNAT
// rules and EIPs only where this node is active, drop when no candidate is alive.
#include "core/egress/datapath.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures
using ::testing::HasSubstr;

core::netplan::NodeNet NodeNet(const std::string& name, const std::string& underlay,
                               const std::string& pod_cidr) {
  return {name, {Ip(underlay)}, {Net(pod_cidr)}};
}

class DatapathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state.node = "w1";
    EgressTarget t;
    t.gateway = "gw";
    t.key = "172.18.0.200";
    t.eip.ipv4 = Ip("172.18.0.200");
    t.unit = t.key;
    t.candidates = {"n2", "n3"};
    state.targets.push_back(t);
    state.steering.push_back({Ip("10.244.1.5"), *model::IpRange::Parse("0.0.0.0-9.255.255.255"),
                              0, PolicyId::Namespaced("shop", "web"), DestinationKind::kExternal});
    in.state = &state;
    in.nodes = &nodes;
    in.self = "w1";
    in.active = {std::string("n2")};
    nodes = {{"w1", NodeNet("w1", "172.18.0.11", "10.244.1.0/24")},
                {"n2", NodeNet("n2", "172.18.0.12", "10.244.2.0/24")},
                {"n3", NodeNet("n3", "172.18.0.13", "10.244.3.0/24")}};
  }
  NodeEgressState state;
  std::map<std::string, core::netplan::NodeNet> nodes;
  EgressDatapathInput in;
};

TEST_F(DatapathTest, SourceNodeMarksAndRoutesThroughTheTunnelToTheActiveNode) {
  EgressDatapath dp = PlanEgressDatapath(in);
  EXPECT_TRUE(dp.problems.empty());
  EXPECT_THAT(dp.nft_definitions,
              HasSubstr("10.244.1.5 . 0.0.0.0-9.255.255.255 : 0x00100000"));
  EXPECT_THAT(dp.nft_mark_rules, HasSubstr("meta mark set ip saddr . ip daddr map @egress_steer4"));
  ASSERT_EQ(dp.routes.size(), 1u);
  EXPECT_EQ(dp.routes[0].table, kEgressTableBase);
  EXPECT_EQ(dp.routes[0].gateway, Ip("10.244.2.1"));
  EXPECT_EQ(dp.routes[0].device, "egret.vxlan");
  EXPECT_TRUE(dp.routes[0].onlink);
  // iif lo → main (both families), then the mark rule (both families).
  ASSERT_EQ(dp.rules.size(), 4u);
  EXPECT_EQ(dp.rules[0].iif, "lo");
  EXPECT_EQ(dp.rules[2].fwmark, EgressMark(0));
  EXPECT_EQ(dp.rules[2].fwmask, kEgressMarkMask);
  EXPECT_TRUE(dp.eips.empty());
  EXPECT_THAT(dp.nft_snat_rules, HasSubstr("meta mark & 0x3ff00000 != 0 snat ip to ip saddr"));
}

TEST_F(DatapathTest, FailoverMovesTheRouteToTheNextActiveNode) {
  in.active = {std::string("n3")};
  EgressDatapath dp = PlanEgressDatapath(in);
  ASSERT_EQ(dp.routes.size(), 1u);
  EXPECT_EQ(dp.routes[0].gateway, Ip("10.244.3.1"));
}

TEST_F(DatapathTest, NoEncapRoutesToTheUnderlayAddress) {
  in.mode = core::netplan::Mode::kNoEncap;
  in.underlay_device = "eth0";
  EgressDatapath dp = PlanEgressDatapath(in);
  ASSERT_EQ(dp.routes.size(), 1u);
  EXPECT_EQ(dp.routes[0].gateway, Ip("172.18.0.12"));
  EXPECT_EQ(dp.routes[0].device, "eth0");
  EXPECT_FALSE(dp.routes[0].onlink);
}

TEST_F(DatapathTest, NoAliveCandidateDropsTheTrafficInsteadOfLeakingIt) {
  in.active = {std::nullopt};
  EgressDatapath dp = PlanEgressDatapath(in);
  EXPECT_TRUE(dp.routes.empty());
  EXPECT_THAT(dp.nft_mark_rules, HasSubstr("meta mark & 0x3ff00000 { 0x00100000 } counter drop"));
}

TEST_F(DatapathTest, ActiveGatewayHoldsTheEipAndSnatsItsDuty) {
  state.node = "n2";
  state.steering.clear();
  state.snat.push_back({0, {{{Ip("10.244.1.5")}, {*model::IpRange::Parse("1.2.3.0/24")}}},
                        {"w1"}});
  in.self = "n2";
  EgressDatapath dp = PlanEgressDatapath(in);
  EXPECT_TRUE(dp.rules.empty());
  EXPECT_TRUE(dp.routes.empty());
  ASSERT_EQ(dp.eips.size(), 1u);
  EXPECT_EQ(dp.eips[0], Ip("172.18.0.200"));
  EXPECT_THAT(dp.nft_definitions, HasSubstr("set egress_t0_0_src"));
  EXPECT_THAT(dp.nft_definitions, HasSubstr("1.2.3.0-1.2.3.255"));
  EXPECT_THAT(dp.nft_snat_rules,
              HasSubstr("ip saddr @egress_t0_0_src ip daddr @egress_t0_0_dst counter snat ip to "
                        "172.18.0.200"));
  // The passive candidate holds nothing, SNATs nothing, and drops what reaches it unmarked
  // (from a source node that still thinks it active) rather than leak pod addresses.
  in.self = "n3";
  EgressDatapath passive = PlanEgressDatapath(in);
  EXPECT_TRUE(passive.eips.empty());
  EXPECT_EQ(passive.nft_snat_rules.find("snat ip to 172.18.0.200"), std::string::npos);
  EXPECT_THAT(passive.nft_snat_rules,
              HasSubstr("meta mark & 0x3ff00000 == 0 ip saddr @egress_t0_0_src ip daddr "
                        "@egress_t0_0_dst counter drop"));
}

TEST_F(DatapathTest, UseNodeIpMasquerades) {
  state.targets[0].eip = {};
  state.targets[0].key = "node-ip:EgressPolicy/shop/web";
  state.snat.push_back({0, {{{Ip("10.244.1.5")}, {*model::IpRange::Parse("1.2.3.0/24")}}},
                        {"w1"}});
  in.self = "n2";
  EgressDatapath dp = PlanEgressDatapath(in);
  EXPECT_TRUE(dp.eips.empty());
  EXPECT_THAT(dp.nft_snat_rules, HasSubstr("@egress_t0_0_dst counter masquerade"));
}

TEST_F(DatapathTest, ANodeThatIsSourceAndActiveGatewayKeepsTheTableEmpty) {
  in.active = {std::string("w1")};
  EgressDatapath dp = PlanEgressDatapath(in);
  EXPECT_TRUE(dp.routes.empty());
  EXPECT_EQ(dp.rules.size(), 4u);
}

}  // namespace
}  // namespace egret::core::egress
