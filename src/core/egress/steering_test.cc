// Steering tables: internal destinations, destSubnet clipping, priority and its tie-breaks,
// families, policies out of force, and classes shared by pods.
#include "core/egress/steering.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

// The steering table of the pod address `ip` ("" when it is not steered).
std::string TableOf(const Cluster& c, const std::string& ip) {
  EgressPlan plan = PlanEgress(c.View());
  EgressSteering s = CompileSteering(plan, c.View());
  for (const SteeredSource& src : s.sources) {
    if (src.ip == Ip(ip)) return Rows(plan, s.classes[src.steering_class].table);
  }
  return "";
}

model::EgressPolicySpec Dest(model::EgressPolicySpec s, std::vector<std::string> cidrs) {
  for (const std::string& d : cidrs) s.dest_subnet.push_back(Net(d));
  return s;
}

class SteeringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c = StandardCluster();
    c.pods = {MakePod("shop", "web", "w1", {"10.244.1.5"}, {{"app", "web"}}),
              MakePod("shop", "db", "n1", {"10.244.2.5"}, {{"app", "db"}})};
  }
  Cluster c;
};

TEST_F(SteeringTest, ExternalIsEverythingButInternal) {
  c.internal.extra_cidrs = {Net("172.16.0.0/12")};
  c.policies = {MakePolicy("shop", "all", Spec("gw"))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"),
            "0.0.0.0-10.95.255.255=shop/all "      // services 10.96.0.0/12
            "10.112.0.0-10.243.255.255=shop/all "  // pods 10.244.0.0/16
            "10.245.0.0-172.15.255.255=shop/all "  // extra 172.16.0.0/12
            "172.32.0.0-192.168.0.0=shop/all "     // nodes 192.168.0.1-4
            "192.168.0.5-255.255.255.255=shop/all");
}

TEST_F(SteeringTest, DestSubnetIsClippedByInternal) {
  c.policies = {MakePolicy("shop", "ten", Dest(Spec("gw"), {"10.0.0.0/8"}))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"),
            "10.0.0.0-10.95.255.255=shop/ten 10.112.0.0-10.243.255.255=shop/ten "
            "10.245.0.0-10.255.255.255=shop/ten");
  c.policies = {MakePolicy("shop", "inside", Dest(Spec("gw"), {"10.244.0.0/16"}))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "");  // claims nothing: not steered at all
}

TEST_F(SteeringTest, HigherPriorityWinsEvenOverAMoreSpecificSubnet) {
  c.policies = {MakePolicy("shop", "hi", Spec("gw", {}, 100)),
                MakePolicy("shop", "lo", Dest(Spec("gw", {}, 10), {"1.2.3.0/24"}))};
  std::string table = TableOf(c, "10.244.1.5");
  EXPECT_EQ(table.find("lo"), std::string::npos) << table;
  // Deleting the winner hands the subnet to the other policy.
  c.policies.erase(c.policies.begin());
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.255=shop/lo");
}

TEST_F(SteeringTest, EqualPriorityMoreSpecificClaimWins) {
  c.policies = {MakePolicy("shop", "wide", Dest(Spec("gw"), {"1.0.0.0/8"})),
                MakePolicy("shop", "narrow", Dest(Spec("gw"), {"1.2.3.0/24"})),
                MakePolicy("shop", "rest", Dest(Spec("gw"), {}))};
  std::string t = TableOf(c, "10.244.1.5");
  EXPECT_NE(t.find("0.0.0.0-0.255.255.255=shop/rest 1.0.0.0-1.2.2.255=shop/wide "
                   "1.2.3.0-1.2.3.255=shop/narrow 1.2.4.0-1.255.255.255=shop/wide "
                   "2.0.0.0-10.95.255.255=shop/rest"),
            std::string::npos)
      << t;
}

TEST_F(SteeringTest, EqualPriorityAndPrefixEgressPolicyBeforeClusterPolicyThenName) {
  c.policies = {MakePolicy("shop", "b", Dest(Spec("gw"), {"1.2.3.0/24"})),
                MakePolicy("shop", "a", Dest(Spec("gw"), {"1.2.3.0/25"})),
                MakePolicy("shop", "c", Dest(Spec("gw"), {"1.2.3.0/24"}))};
  c.cluster_policies = {MakeClusterPolicy("aaa", Dest(Spec("gw"), {"1.2.3.0/24"}))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.127=shop/a 1.2.3.128-1.2.3.255=shop/b");
  c.policies.clear();
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.255=aaa");
}

TEST_F(SteeringTest, PolicyOutOfForceDoesNotSteerAndTheNextOneTakesOver) {
  model::EgressPolicySpec rr = Spec("gw", {}, 100);
  rr.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
  c.gateways[0].spec.ippools.ipv4 = Pool({"10.6.1.21"});  // only the default EIP: rr exhausted
  c.policies = {MakePolicy("shop", "rr", Dest(rr, {"1.2.3.0/24"})),
                MakePolicy("shop", "fallback", Dest(Spec("gw"), {"1.2.3.0/24"}))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.255=shop/fallback");
}

TEST_F(SteeringTest, FamiliesWithoutAnEipAreNotSteered) {
  c.pods = {MakePod("shop", "web", "w1", {"10.244.1.5", "fd00:10::5"}, {{"app", "web"}})};
  c.internal.cluster_pod_cidrs.push_back(Net("fd00:10::/64"));
  c.policies = {MakePolicy("shop", "v4only", Dest(Spec("gw"), {"1.2.3.0/24", "2001:db8::/32"}))};
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.255=shop/v4only");
  EXPECT_EQ(TableOf(c, "fd00:10::5"), "");  // the gateway has no IPv6 pool
  c.gateways[0].spec.ippools.ipv6 = Pool({"fd00::21-fd00::2a"});
  EXPECT_EQ(TableOf(c, "fd00:10::5"),
            "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff=shop/v4only");
  // useNodeIP is in force in both families.
  c.gateways[0].spec.ippools.ipv6.clear();
  c.policies[0].spec.egress_ip.use_node_ip = true;
  EXPECT_NE(TableOf(c, "fd00:10::5"), "");
}

TEST_F(SteeringTest, PodsSelectedByTheSamePoliciesShareAClass) {
  c.pods.push_back(MakePod("shop", "web2", "n2", {"10.244.3.5"}, {{"app", "web"}}));
  c.pods.push_back(MakePod("bank", "web", "n2", {"10.244.4.5"}, {{"app", "web"}}));
  c.policies = {MakePolicy("shop", "web", Dest(Spec("gw", {{"app", "web"}}), {"1.2.3.0/24"}))};
  EgressPlan plan = PlanEgress(c.View());
  EgressSteering s = CompileSteering(plan, c.View());
  ASSERT_EQ(s.classes.size(), 1u);
  ASSERT_EQ(s.sources.size(), 2u);     // bank/web is in another namespace; shop/db has other labels
  EXPECT_EQ(s.sources[0].node, "n2");  // sorted by (node, ip)
  EXPECT_EQ(s.sources[0].pod_name, "web2");
  EXPECT_EQ(s.sources[1].node, "w1");
  EXPECT_EQ(s.class_sources[0], (std::vector<size_t>{0, 1}));
  EXPECT_EQ(s.classes[0].policies, (std::vector<size_t>{0}));
}

TEST_F(SteeringTest, NamespaceSelectorAndPodSubnet) {
  model::EgressPolicySpec team_a = Dest(Spec("gw"), {"1.2.3.0/24"});
  team_a.applied_to.namespace_selector = Selector({{"team", "a"}});
  model::EgressPolicySpec by_subnet = Dest(Spec("gw"), {"5.6.7.0/24"});
  by_subnet.applied_to.pod_selector.reset();
  by_subnet.applied_to.pod_subnet = {Net("10.244.9.0/24")};
  c.cluster_policies = {MakeClusterPolicy("team-a", team_a),
                        MakeClusterPolicy("subnet", by_subnet)};
  c.pods.push_back(MakePod("bank", "x", "w1", {"10.244.9.5"}));
  EXPECT_EQ(TableOf(c, "10.244.1.5"), "1.2.3.0-1.2.3.255=team-a");  // shop is team a
  EXPECT_EQ(TableOf(c, "10.244.9.5"), "5.6.7.0-5.6.7.255=subnet");  // bank: by its address
}

TEST(ResolveDestinations, MergesNeighboursOfOnePolicy) {
  Cluster c = StandardCluster();
  c.policies = {MakePolicy("shop", "p", Dest(Spec("gw"), {"1.2.2.0/24", "1.2.3.0/24"}))};
  EgressPlan plan = PlanEgress(c.View());
  std::vector<size_t> policies = {0};
  std::vector<DestinationRow> rows = ResolveDestinations(
      plan, policies, model::Family::kV4, SteerableSpace(c.internal, model::Family::kV4));
  EXPECT_EQ(Rows(plan, rows), "1.2.2.0-1.2.3.255=shop/p");
  EXPECT_EQ(rows[0].kind, DestinationKind::kDestSubnet);
}

}  // namespace
}  // namespace egret::core::egress
