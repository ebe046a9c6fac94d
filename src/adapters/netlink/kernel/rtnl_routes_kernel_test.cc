// Rtnl addresses, routes and rules against the real kernel (root only, throwaway namespaces).
#include "adapters/netlink/kernel/kernel_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Family;
using model::Route;
using model::Rule;

// A namespace with a veth "eg-a0" (10.200.0.1/24, fd00:200::1/64, up) and a VXLAN device
// "egret.vx" over it (up).
std::unique_ptr<Lab> MakeRoutedLab(std::string_view tag) {
  auto lab = Lab::Make(tag);
  if (!lab) return nullptr;
  Rtnl& r = lab->rtnl;
  model::Link vx;
  vx.name = "egret.vx";
  vx.vxlan_id = 100;
  vx.vxlan_local = Ip("10.200.0.1");
  vx.vxlan_underlay = "eg-a0";
  vx.up = true;
  for (Status st : {r.CreateVeth("eg-a0", "eg-a1"), r.SetLinkUp("eg-a0", true),
                    r.SetLinkUp("eg-a1", true), r.AddAddress("eg-a0", Addr("10.200.0.1", 24)),
                    r.AddAddress("eg-a0", Addr("fd00:200::1", 64)), r.CreateVxlan(vx)}) {
    if (!st.ok()) {
      ADD_FAILURE() << st.ToString();
      return nullptr;
    }
  }
  return lab;
}

TEST(KernelRtnl, AddsListsAndDeletesAddresses) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("addr");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  ASSERT_TRUE(r.AddAddress("eg-a0", Addr("10.200.0.1", 24)).ok()) << "replace is idempotent";
  ASSERT_TRUE(r.AddAddress("eg-a0", Addr("fd00:200::1", 64)).ok());

  auto addrs = r.ListAddresses("eg-a0");
  ASSERT_TRUE(addrs.ok()) << addrs.status().ToString();
  EXPECT_EQ(CountOf(*addrs, DeviceAddress{"eg-a0", Addr("10.200.0.1", 24)}), 1);
  EXPECT_EQ(CountOf(*addrs, DeviceAddress{"eg-a0", Addr("fd00:200::1", 64)}), 1);
  for (const DeviceAddress& a : *addrs) EXPECT_EQ(a.device, "eg-a0");
  auto all = r.ListAddresses();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(CountOf(*all, DeviceAddress{"lo", Addr("127.0.0.1", 8)}), 1);
  std::string shown = Observe("ip -n " + lab->ns.name() + " addr show eg-a0");
  EXPECT_NE(shown.find("inet6 fd00:200::1/64 scope global nodad \n"), std::string::npos)
      << "IFA_F_NODAD: usable at once, never tentative\n"
      << shown;

  ASSERT_TRUE(r.DeleteAddress("eg-a0", Addr("fd00:200::1", 64)).ok());
  Status again = r.DeleteAddress("eg-a0", Addr("fd00:200::1", 64));
  EXPECT_EQ(again.code(), Code::kNotFound);
  EXPECT_EQ(again.message(), "delete address fd00:200::1/64 dev eg-a0: no such address");
  EXPECT_EQ(r.ListAddresses("nosuch0").status().code(), Code::kNotFound);
}

TEST(KernelRtnl, ReplacesOnlinkRouteViaVxlanInTable100) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("route");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  Route route{.dst = Net("10.244.2.0/24"),
              .gateway = Ip("10.250.0.2"),
              .device = "egret.vx",
              .table = 100,
              .protocol = model::kRouteProtocol,
              .scope = Route::Scope::kUniverse,
              .onlink = true,
              .metric = 0,
              .preferred_source = std::nullopt};
  ASSERT_TRUE(r.ReplaceRoute(route).ok()) << r.ReplaceRoute(route).ToString();
  ASSERT_TRUE(r.ReplaceRoute(route).ok()) << "replace is idempotent";

  RouteFilter ours{.table = 100, .protocol = model::kRouteProtocol};
  auto listed = r.ListRoutes(Family::kV4, ours);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0], route);
  std::string shown = Observe("ip -n " + lab->ns.name() + " route show table 100");
  EXPECT_NE(shown.find("10.244.2.0/24 via 10.250.0.2 dev egret.vx proto 147 onlink"),
            std::string::npos)
      << shown;

  route.gateway = Ip("10.250.0.3");
  ASSERT_TRUE(r.ReplaceRoute(route).ok());
  listed = r.ListRoutes(Family::kV4, ours);
  ASSERT_EQ(listed->size(), 1u) << "replaced, not added";
  EXPECT_EQ((*listed)[0].gateway, Ip("10.250.0.3"));

  ASSERT_TRUE(r.DeleteRoute(route).ok());
  EXPECT_TRUE(r.ListRoutes(Family::kV4, ours)->empty());
  Status again = r.DeleteRoute(route);
  EXPECT_EQ(again.code(), Code::kNotFound);
  EXPECT_NE(again.message().find("no such route"), std::string::npos) << again.message();
}

TEST(KernelRtnl, RoutesInLargeTablesAndIpv6) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("route6");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  Route v4{.dst = Net("10.10.0.0/16"),
           .gateway = Ip("10.200.0.2"),
           .device = "eg-a0",
           .table = 1000,
           .protocol = model::kRouteProtocol,
           .scope = Route::Scope::kUniverse,
           .onlink = false,
           .metric = 50,
           .preferred_source = Ip("10.200.0.1")};
  Route v6{.dst = Net("fd00:244:2::/64"),
           .gateway = Ip("fd00:200::2"),
           .device = "eg-a0",
           .table = 100,
           .protocol = model::kRouteProtocol,
           .scope = Route::Scope::kUniverse,
           .onlink = false,
           .metric = 1024,
           .preferred_source = std::nullopt};
  Route dev_only{.dst = Net("10.11.0.0/16"),
                 .gateway = std::nullopt,
                 .device = "eg-a0",
                 .table = 254,
                 .protocol = model::kRouteProtocol,
                 .scope = Route::Scope::kLink,
                 .onlink = false,
                 .metric = 0,
                 .preferred_source = std::nullopt};
  for (const Route& route : {v4, v6, dev_only}) {
    Status st = r.ReplaceRoute(route);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto t1000 = r.ListRoutes(Family::kV4, {.table = 1000, .protocol = std::nullopt});
  ASSERT_TRUE(t1000.ok());
  EXPECT_EQ(*t1000, std::vector<Route>{v4});
  auto t100 = r.ListRoutes(Family::kV6, {.table = 100, .protocol = model::kRouteProtocol});
  ASSERT_TRUE(t100.ok());
  EXPECT_EQ(*t100, std::vector<Route>{v6});
  auto main = r.ListRoutes(Family::kV4, {.table = 254, .protocol = std::nullopt});
  ASSERT_TRUE(main.ok());
  EXPECT_EQ(CountOf(*main, dev_only), 1);
  EXPECT_EQ(main->size(), 2u) << "the kernel's own 10.200.0.0/24 route and ours";
  for (const Route& route : {v4, v6, dev_only}) EXPECT_TRUE(r.DeleteRoute(route).ok());
}

TEST(KernelRtnl, DeleteLeavesRoutesOfOtherOwners) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("owner");
  ASSERT_TRUE(lab);
  Route foreign{.dst = Net("10.12.0.0/16"),
                .gateway = Ip("10.200.0.2"),
                .device = "eg-a0",
                .table = 254,
                .protocol = 4 /* static */,
                .scope = Route::Scope::kUniverse,
                .onlink = false,
                .metric = 0,
                .preferred_source = std::nullopt};
  ASSERT_TRUE(lab->rtnl.ReplaceRoute(foreign).ok());
  Route ours = foreign;
  ours.protocol = model::kRouteProtocol;
  EXPECT_EQ(lab->rtnl.DeleteRoute(ours).code(), Code::kNotFound)
      << "the protocol in the delete request protects the other owner's route";
  auto left = lab->rtnl.ListRoutes(Family::kV4, {.table = 254, .protocol = 4});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, std::vector<Route>{foreign});
}

TEST(KernelRtnl, RefusedRouteCarriesKernelReason) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("route-bad");
  ASSERT_TRUE(lab);
  Route route{.dst = Net("10.244.9.0/24"),
              .gateway = Ip("10.99.0.1"),
              .device = "eg-a0",
              .table = 254,
              .protocol = model::kRouteProtocol,
              .scope = Route::Scope::kUniverse,
              .onlink = false,
              .metric = 0,
              .preferred_source = std::nullopt};
  Status st = lab->rtnl.ReplaceRoute(route);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_EQ(st.message(),
            "add route 10.244.9.0/24 via 10.99.0.1 dev eg-a0: Network is unreachable "
            "(Nexthop has invalid gateway)");

  Route nowhere = route;
  nowhere.gateway.reset();
  nowhere.device = "";
  st = lab->rtnl.ReplaceRoute(nowhere);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(), "add route 10.244.9.0/24: a route needs a gateway, a device or both");

  route.device = "nosuch0";
  st = lab->rtnl.ReplaceRoute(route);
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.message(),
            "add route 10.244.9.0/24 via 10.99.0.1 dev nosuch0: link \"nosuch0\" "
            "not found");
}

TEST(KernelRtnl, AddsRulesWithFwmarkOnce) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeRoutedLab("rule");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  Rule v4{.family = Family::kV4,
          .priority = 10000,
          .fwmark = 0x10,
          .fwmask = 0xff,
          .from = std::nullopt,
          .to = std::nullopt,
          .table = 100};
  Rule v6{.family = Family::kV6,
          .priority = 10001,
          .fwmark = std::nullopt,
          .fwmask = 0xffffffff,
          .from = Net("fd00:244::/48"),
          .to = Net("fd00:300::/64"),
          .table = 1000};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(r.AddRule(v4).ok()) << r.AddRule(v4).ToString();
    ASSERT_TRUE(r.AddRule(v6).ok()) << r.AddRule(v6).ToString();
  }
  auto rules4 = r.ListRules(Family::kV4);
  ASSERT_TRUE(rules4.ok()) << rules4.status().ToString();
  EXPECT_EQ(CountOf(*rules4, v4), 1);
  EXPECT_EQ(rules4->size(), 4u) << "local, main, default and ours";
  auto rules6 = r.ListRules(Family::kV6);
  ASSERT_TRUE(rules6.ok());
  EXPECT_EQ(CountOf(*rules6, v6), 1);
  std::string shown = Observe("ip -n " + lab->ns.name() + " rule show");
  EXPECT_NE(shown.find("10000:\tfrom all fwmark 0x10/0xff lookup 100"), std::string::npos) << shown;

  ASSERT_TRUE(r.DeleteRule(v4).ok());
  Status again = r.DeleteRule(v4);
  EXPECT_EQ(again.code(), Code::kNotFound);
  EXPECT_EQ(again.message(),
            "delete rule 10000 from all fwmark 0x10/0xff lookup 100: no such rule");
  EXPECT_EQ(CountOf(*r.ListRules(Family::kV4), v4), 0);
}

TEST(KernelRtnl, RuleOnInputInterfaceRoundTrips) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Make("rule-iif");
  ASSERT_TRUE(lab);
  Rule local;
  local.priority = 10003;
  local.iif = "lo";
  ASSERT_TRUE(lab->rtnl.AddRule(local).ok()) << lab->rtnl.AddRule(local).ToString();
  auto rules = lab->rtnl.ListRules(Family::kV4);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(CountOf(*rules, local), 1);
  std::string shown = Observe("ip -n " + lab->ns.name() + " rule show");
  EXPECT_NE(shown.find("10003:\tfrom all iif lo lookup main"), std::string::npos) << shown;
  EXPECT_TRUE(lab->rtnl.DeleteRule(local).ok());
}

TEST(KernelRtnl, RuleOfMixedFamiliesIsInvalid) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Make("rule-bad");
  ASSERT_TRUE(lab);
  Rule bad{.family = Family::kV4,
           .priority = 10002,
           .fwmark = std::nullopt,
           .fwmask = 0xffffffff,
           .from = Net("fd00::/64"),
           .to = std::nullopt,
           .table = 100};
  Status st = lab->rtnl.AddRule(bad);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(), "rule 10002 from fd00::/64 lookup 100: fd00::/64 is not an IPv4 prefix");
}

}  // namespace
}  // namespace egret::netlink
