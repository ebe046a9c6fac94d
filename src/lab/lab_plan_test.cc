#include "lab/lab_plan.h"

#include <gtest/gtest.h>

namespace egret::lab {
namespace {

std::vector<std::string> Texts(const std::vector<model::InterfaceAddress>& addrs) {
  std::vector<std::string> out;
  for (const auto& a : addrs) out.push_back(a.ip.ToString() + "/" + std::to_string(a.prefix_len));
  return out;
}

TEST(LabName, AcceptsDnsLabelsUpTo32) {
  EXPECT_TRUE(ValidateLabName("egret").ok());
  EXPECT_TRUE(ValidateLabName("egt-123-ab12").ok());
  EXPECT_TRUE(ValidateLabName(std::string(32, 'a')).ok());
}

TEST(LabName, RefusesOtherNames) {
  for (std::string bad :
       std::vector<std::string>{"", "Lab", "-a", "a-", "a_b", "a.b", std::string(33, 'a')}) {
    Status st = ValidateLabName(bad);
    EXPECT_EQ(st.code(), Code::kInvalid) << bad;
    EXPECT_NE(st.message().find("is not valid: use at most 32"), std::string::npos) << bad;
  }
}

TEST(LabName, OverlapWhenOneExtendsTheOtherWithADash) {
  EXPECT_TRUE(LabNamesOverlap("a", "a"));
  EXPECT_TRUE(LabNamesOverlap("a", "a-x"));
  EXPECT_TRUE(LabNamesOverlap("a-x", "a"));
  EXPECT_FALSE(LabNamesOverlap("a", "ab"));
  EXPECT_FALSE(LabNamesOverlap("egt-1-ab", "egt-1-abc"));
}

TEST(NodeNames, RoundTrip) {
  EXPECT_EQ(NodeName(1), "n1");
  EXPECT_EQ(NodeName(12), "n12");
  EXPECT_EQ(NodeIndex("n1"), 1);
  EXPECT_EQ(NodeIndex("n64"), 64);
  EXPECT_EQ(NodeIndex("n0"), std::nullopt);
  EXPECT_EQ(NodeIndex("n01"), std::nullopt);
  EXPECT_EQ(NodeIndex("n"), std::nullopt);
  EXPECT_EQ(NodeIndex("x1"), std::nullopt);
  EXPECT_EQ(NodeIndex("n1a"), std::nullopt);
}

TEST(LabNames, NamespacesStartWithTheLabName) {
  LabNames n("lab1");
  EXPECT_EQ(n.Underlay(), "lab1-ul");
  EXPECT_EQ(n.ControlPlane(), "lab1-cp");
  EXPECT_EQ(n.Node("n2"), "lab1-n2");
  EXPECT_EQ(n.External("web"), "lab1-x-web");
  EXPECT_EQ(n.Pod("default", "web-1"), "lab1-p-default.web-1");
}

TEST(LabNames, PodNamesDoNotCollideAcrossTheSlash) {
  LabNames n("l");
  EXPECT_NE(n.Pod("a", "b-c"), n.Pod("a-b", "c"));
}

TEST(LabNames, LongPodNamesAreCutAndHashed) {
  LabNames n(std::string(32, 'l'));
  std::string pod(253, 'p');
  std::string name = n.Pod(std::string(63, 'n'), pod);
  EXPECT_EQ(name.size(), kMaxNetnsNameLength);
  EXPECT_TRUE(name.ends_with("-" + HashHex(std::string(63, 'n') + "/" + pod)));
  std::string other = n.Pod(std::string(63, 'n'), std::string(252, 'p') + "q");
  EXPECT_NE(name, other);
  EXPECT_TRUE(n.Owns(name));
}

TEST(LabNames, OwnsOnlyItsOwnShapes) {
  LabNames n("a");
  for (std::string mine : {"a-ul", "a-cp", "a-n1", "a-n12", "a-x-web", "a-p-default.web"}) {
    EXPECT_TRUE(n.Owns(mine)) << mine;
  }
  for (std::string other : {"a", "a-", "ab-ul", "a-n0", "a-nx", "a-x-", "a-p-", "b-ul", "a-foo"}) {
    EXPECT_FALSE(n.Owns(other)) << other;
  }
}

TEST(HashHex, IsStableAnd16Digits) {
  EXPECT_EQ(HashHex(""), "cbf29ce484222325");
  EXPECT_EQ(HashHex("a").size(), 16u);
  EXPECT_NE(HashHex("a"), HashHex("b"));
}

TEST(LabPaths, LiveUnderRunEgretLab) {
  LabPaths p = LabPaths::For("x");
  EXPECT_EQ(p.dir, "/run/egret/lab/x");
  EXPECT_EQ(p.ApiSocket(), "/run/egret/lab/x/egret.sock");
  EXPECT_EQ(p.AgentSocket("n1"), "/run/egret/lab/x/nodes/n1/agent.sock");
  EXPECT_EQ(p.AgentState("n1"), "/run/egret/lab/x/nodes/n1/state");
  EXPECT_EQ(p.Log("controller"), "/run/egret/lab/x/logs/controller.log");
}

TEST(AddressPlan, DualStack) {
  AddressPlan plan(IpFamilyMode::kDual);
  EXPECT_EQ(CidrListText(plan.UnderlayCidrs()), "172.18.0.0/24,fd00:18::/64");
  EXPECT_EQ(Texts(plan.RouterAddresses()),
            (std::vector<std::string>{"172.18.0.1/24", "fd00:18::1/64"}));
  EXPECT_EQ(Texts(plan.NodeAddresses(1)),
            (std::vector<std::string>{"172.18.0.11/24", "fd00:18::11/64"}));
  EXPECT_EQ(Texts(plan.NodeAddresses(kMaxNodes)),
            (std::vector<std::string>{"172.18.0.74/24", "fd00:18::74/64"}));
  EXPECT_EQ(Texts(plan.ExternalAddresses(1)),
            (std::vector<std::string>{"172.18.0.101/24", "fd00:18::101/64"}));
  EXPECT_EQ(Texts(plan.ExternalAddresses(kMaxExternals)),
            (std::vector<std::string>{"172.18.0.199/24", "fd00:18::199/64"}));
  ASSERT_EQ(plan.EipPool().size(), 2u);
  EXPECT_EQ(plan.EipPool()[0].first.ToString(), "172.18.0.200");
  EXPECT_EQ(plan.EipPool()[1].last.ToString(), "fd00:18::250");
  EXPECT_EQ(CidrListText(plan.ClusterCidrs()), "10.244.0.0/16,fd00:10:244::/56");
  EXPECT_EQ(CidrListText(plan.ServiceCidrs()), "10.96.0.0/16,fd00:10:96::/112");
}

TEST(AddressPlan, SingleFamilies) {
  AddressPlan v4(IpFamilyMode::kIpv4), v6(IpFamilyMode::kIpv6);
  EXPECT_EQ(Texts(v4.NodeAddresses(3)), (std::vector<std::string>{"172.18.0.13/24"}));
  EXPECT_EQ(Texts(v6.NodeAddresses(3)), (std::vector<std::string>{"fd00:18::13/64"}));
  EXPECT_EQ(CidrListText(v4.ClusterCidrs()), "10.244.0.0/16");
  EXPECT_EQ(CidrListText(v6.ServiceCidrs()), "fd00:10:96::/112");
}

TEST(AddressPlan, NodesExternalsAndThePoolDoNotOverlap) {
  AddressPlan plan(IpFamilyMode::kDual);
  for (size_t f = 0; f < 2; ++f) {
    auto last_node = plan.NodeAddresses(kMaxNodes)[f].ip;
    auto first_ext = plan.ExternalAddresses(1)[f].ip;
    auto last_ext = plan.ExternalAddresses(kMaxExternals)[f].ip;
    EXPECT_LT(last_node, first_ext);
    EXPECT_LT(last_ext, plan.EipPool()[f].first);
    EXPECT_TRUE(plan.UnderlayCidrs()[f].Contains(plan.EipPool()[f].last));
  }
}

TEST(Modes, ParseAndName) {
  EXPECT_EQ(ParseIpFamilyMode("dual"), IpFamilyMode::kDual);
  EXPECT_EQ(ParseIpFamilyMode("IPv4"), std::nullopt);
  EXPECT_EQ(IpFamilyModeName(IpFamilyMode::kIpv6), "ipv6");
  EXPECT_EQ(ParseNetMode("noencap"), NetMode::kNoEncap);
  EXPECT_EQ(ParseNetMode("vxlan"), std::nullopt);
  EXPECT_EQ(NetModeName(NetMode::kEncap), "encap");
}

}  // namespace
}  // namespace egret::lab
