#include "core/netplan/netplan.h"

#include <gtest/gtest.h>

namespace egret::core::netplan {
namespace {

using model::Cidr;
using model::IpAddress;

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }
Cidr Net(const char* s) { return *Cidr::Parse(s); }

NodeNet Node(const char* name, std::vector<const char*> underlay, std::vector<const char*> cidrs) {
  NodeNet n{name, {}, {}};
  for (const char* u : underlay) n.underlay.push_back(Ip(u));
  for (const char* c : cidrs) n.pod_cidrs.push_back(Net(c));
  return n;
}

const model::Route* FindRoute(const NodeState& s, const char* dst) {
  for (const model::Route& r : s.routes) {
    if (r.dst == Net(dst)) return &r;
  }
  return nullptr;
}

std::vector<std::string> Texts(const std::vector<Op>& plan) {
  std::vector<std::string> out;
  for (const Op& op : plan) out.push_back(Describe(op));
  return out;
}

TEST(Netplan, EncapRoutesEachPeerThroughTheTunnel) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet peer = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  NodeState s = Desired({}, self, {self, peer});
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[1].name, kVxlan);
  EXPECT_EQ(s.links[1].vxlan_local, Ip("172.18.0.11"));
  EXPECT_EQ(s.links[1].mtu, 1450);
  ASSERT_EQ(s.addresses.size(), 2u);
  EXPECT_EQ(s.addresses[0].device, kBridge);
  EXPECT_EQ(s.addresses[0].address.ip, Ip("10.244.1.1"));
  // The tunnel carries the pod gateway as /32, so loose rp_filter accepts egress replies.
  EXPECT_EQ(s.addresses[1].device, kVxlan);
  EXPECT_EQ(s.addresses[1].address.ip, Ip("10.244.1.1"));
  EXPECT_EQ(s.addresses[1].address.prefix_len, 32);
  const model::Route* r = FindRoute(s, "10.244.2.0/24");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->gateway, Ip("10.244.2.1"));
  EXPECT_EQ(r->device, kVxlan);
  EXPECT_TRUE(r->onlink);
  EXPECT_EQ(r->preferred_source, Ip("10.244.1.1"));
  EXPECT_EQ(r->protocol, model::kRouteProtocol);
  ASSERT_EQ(s.neighbors.size(), 2u);
  EXPECT_FALSE(s.neighbors[0].fdb);
  EXPECT_EQ(s.neighbors[0].mac, VxlanMac(Ip("172.18.0.12")));
  EXPECT_TRUE(s.neighbors[1].fdb);
  EXPECT_EQ(s.neighbors[1].ip, Ip("172.18.0.12"));
  EXPECT_EQ(FindRoute(s, "10.244.1.0/24"), nullptr) << "no route to itself";
}

TEST(Netplan, DualStackOverAnIpv4Underlay) {
  NodeNet self = Node("n1", {"172.18.0.11", "fd00:18::11"}, {"10.244.1.0/24", "fd00:10:244:1::/64"});
  NodeNet peer = Node("n2", {"172.18.0.12", "fd00:18::12"}, {"10.244.2.0/24", "fd00:10:244:2::/64"});
  NodeState s = Desired({}, self, {peer});
  const model::Route* r6 = FindRoute(s, "fd00:10:244:2::/64");
  ASSERT_NE(r6, nullptr);
  EXPECT_EQ(r6->gateway, Ip("fd00:10:244:2::1"));
  EXPECT_EQ(r6->preferred_source, Ip("fd00:10:244:1::1"));
  EXPECT_EQ(r6->metric, kIpv6DefaultMetric) << "as the kernel lists it, so diffs converge";
  EXPECT_EQ(s.addresses.size(), 3u);
  // One FDB entry per peer (the tunnel is IPv4), neighbours per pod CIDR.
  int fdb = 0;
  for (const auto& n : s.neighbors) fdb += n.fdb;
  EXPECT_EQ(fdb, 1);
}

TEST(Netplan, Ipv6OnlyTunnelsOverIpv6) {
  NodeNet self = Node("n1", {"fd00:18::11"}, {"fd00:10:244:1::/64"});
  NodeNet peer = Node("n2", {"fd00:18::12"}, {"fd00:10:244:2::/64"});
  NodeState s = Desired({}, self, {peer});
  EXPECT_EQ(s.links[1].vxlan_local, Ip("fd00:18::11"));
  EXPECT_EQ(s.links[1].mtu, 1430);
  EXPECT_NE(FindRoute(s, "fd00:10:244:2::/64"), nullptr);
}

TEST(Netplan, NoEncapRoutesViaThePeersUnderlayAddress) {
  NetConfig cfg{.mode = Mode::kNoEncap};
  NodeNet self = Node("n1", {"172.18.0.11", "fd00:18::11"}, {"10.244.1.0/24", "fd00:10:244:1::/64"});
  NodeNet peer = Node("n2", {"172.18.0.12", "fd00:18::12"}, {"10.244.2.0/24", "fd00:10:244:2::/64"});
  NodeState s = Desired(cfg, self, {peer});
  EXPECT_EQ(s.links.size(), 1u) << "no tunnel device";
  EXPECT_TRUE(s.neighbors.empty());
  EXPECT_EQ(FindRoute(s, "10.244.2.0/24")->gateway, Ip("172.18.0.12"));
  EXPECT_EQ(FindRoute(s, "fd00:10:244:2::/64")->gateway, Ip("fd00:18::12"));
  EXPECT_EQ(FindRoute(s, "10.244.2.0/24")->device, "eth0");
}

TEST(Netplan, PeersWithoutPodCidrsAreSkipped) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet fresh = Node("n3", {"172.18.0.13"}, {});
  NodeState s = Desired({}, self, {fresh});
  EXPECT_TRUE(s.routes.empty());
  EXPECT_TRUE(s.neighbors.empty());
}

TEST(Netplan, ConvergedStateGivesAnEmptyPlan) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet peer = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  NodeState want = Desired({}, self, {peer});
  NodeState have = want;
  have.addresses.push_back({std::string(kBridge), {Ip("fe80::1"), 64}});  // kernel's own
  EXPECT_TRUE(Diff(want, have).empty()) << Texts(Diff(want, have))[0];
}

TEST(Netplan, FreshNodeBuildsEverythingInOrder) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet peer = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  auto plan = Texts(Diff(Desired({}, self, {peer}), {}));
  std::vector<std::string> want = {
      "create link egret0",
      "create link egret.vxlan",
      "add address 10.244.1.1/32 dev egret.vxlan",
      "add address 10.244.1.1/24 dev egret0",
      "replace neighbor 10.244.2.1 lladdr 0a:58:ac:12:00:0c dev egret.vxlan",
      "replace fdb 0a:58:ac:12:00:0c dst 172.18.0.12 dev egret.vxlan",
      "replace route 10.244.2.0/24 via 10.244.2.1 dev egret.vxlan onlink",
  };
  EXPECT_EQ(plan, want);
}

TEST(Netplan, RemovedPeerIsDeletedAfterAdditions) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet n2 = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  NodeNet n3 = Node("n3", {"172.18.0.13"}, {"10.244.3.0/24"});
  NodeState have = Desired({}, self, {n2});
  auto plan = Texts(Diff(Desired({}, self, {n3}), have));
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan.front().rfind("replace", 0), 0u);
  EXPECT_EQ(plan.back(), "delete fdb 0a:58:ac:12:00:0c dst 172.18.0.12 dev egret.vxlan");
  bool deletes_route = false;
  for (const auto& p : plan) deletes_route |= p == "delete route 10.244.2.0/24 via 10.244.2.1 dev egret.vxlan onlink";
  EXPECT_TRUE(deletes_route);
}

TEST(Netplan, ChangedTunnelIsRecreatedWithItsEntries) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet peer = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  NodeState have = Desired({}, self, {peer});
  NetConfig other_vni{.vni = 7};
  auto plan = Texts(Diff(Desired(other_vni, self, {peer}), have));
  ASSERT_GE(plan.size(), 5u);
  EXPECT_EQ(plan[0], "delete link egret.vxlan");
  EXPECT_EQ(plan[1], "create link egret.vxlan");
  // The entries on the recreated device are added again, none deleted.
  for (const auto& p : plan) EXPECT_EQ(p.find("delete route"), std::string::npos) << p;
}

TEST(Netplan, SwitchingToNoEncapRemovesTheTunnel) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeNet peer = Node("n2", {"172.18.0.12"}, {"10.244.2.0/24"});
  NodeState have = Desired({}, self, {peer});
  auto plan = Texts(Diff(Desired({.mode = Mode::kNoEncap}, self, {peer}), have));
  EXPECT_EQ(plan.back(), "delete link egret.vxlan");
  EXPECT_NE(std::find(plan.begin(), plan.end(),
                      "replace route 10.244.2.0/24 via 172.18.0.12 dev eth0"),
            plan.end());
}

TEST(Netplan, DownLinkIsBroughtUp) {
  NodeNet self = Node("n1", {"172.18.0.11"}, {"10.244.1.0/24"});
  NodeState want = Desired({}, self, {});
  NodeState have = want;
  have.links[0].up = false;
  EXPECT_EQ(Texts(Diff(want, have)), std::vector<std::string>{"set link egret0 up"});
}

}  // namespace
}  // namespace egret::core::netplan
