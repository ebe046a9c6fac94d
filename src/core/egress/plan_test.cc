// The cluster-wide plan: gateways per policy, EIPs, targets and units, candidates, problems,
// and stability through the stored status.
#include "core/egress/plan.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"
#include "core/egress/status.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

// Writes the plan's status values back into the objects, as the controller does.
void WriteStatus(Cluster* c) {
  EgressPlan plan = PlanEgress(c->View());
  for (model::EgressPolicy& p : c->policies) {
    p.status = PolicyStatus(plan, Outcome(plan, Np(p.metadata.namespace_, p.metadata.name)),
                            ReadyNodes(plan));
  }
  for (model::EgressClusterPolicy& p : c->cluster_policies) {
    p.status = PolicyStatus(plan, Outcome(plan, Cp(p.metadata.name)), ReadyNodes(plan));
  }
  for (model::EgressGateway& g : c->gateways) {
    g.status = GatewayStatus(plan, *plan.FindGateway(g.metadata.name), ReadyNodes(plan));
  }
}

TEST(PlanEgress, ResolvesGatewaysAndEips) {
  Cluster c = StandardCluster();
  c.gateways.push_back(MakeGateway("gw2", {"10.6.2.21-10.6.2.25"}));
  c.namespaces[1].metadata.labels["egret.io/default-gateway"] = "gw2";
  model::EgressPolicySpec rr = Spec("");
  rr.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
  c.policies = {MakePolicy("shop", "app", Spec("")), MakePolicy("bank", "pay", Spec("")),
                MakePolicy("shop", "rr", rr)};
  c.cluster_policies = {MakeClusterPolicy("all", Spec("gw2"))};
  EgressPlan plan = PlanEgress(c.View());
  ASSERT_EQ(plan.policies.size(), 4u);
  EXPECT_EQ(plan.policies[0].id, Np("bank", "pay"));  // PolicyId order
  EXPECT_EQ(plan.policies[3].id, Cp("all"));
  const PolicyOutcome& app = Outcome(plan, Np("shop", "app"));
  EXPECT_EQ(app.gateway, "gw");
  EXPECT_EQ(app.gateway_source, GatewaySource::kClusterDefault);
  EXPECT_EQ(app.eip.ToString(), "10.6.1.21");
  EXPECT_TRUE(app.problems.empty());
  const PolicyOutcome& pay = Outcome(plan, Np("bank", "pay"));
  EXPECT_EQ(pay.gateway, "gw2");
  EXPECT_EQ(pay.gateway_source, GatewaySource::kNamespaceLabel);
  EXPECT_EQ(pay.eip.ToString(), "10.6.2.21");
  EXPECT_EQ(Outcome(plan, Np("shop", "rr")).eip.ToString(), "10.6.1.22");
  EXPECT_EQ(Outcome(plan, Cp("all")).eip.ToString(), "10.6.2.21");
  // pay and all share gw2's default EIP: one target.
  EXPECT_EQ(Outcome(plan, Np("bank", "pay")).target, Outcome(plan, Cp("all")).target);
  ASSERT_EQ(plan.targets.size(), 3u);
  EXPECT_EQ(plan.targets[0].gateway, "gw");
  EXPECT_EQ(plan.targets[0].key, "10.6.1.21");
  EXPECT_EQ(plan.targets[0].candidates.size(), 3u);
  EXPECT_EQ(plan.FindGateway("gw")->usage.ipv4_free, 8);
  EXPECT_EQ(plan.ready_nodes, (std::vector<std::string>{"n1", "n2", "n3", "w1"}));
}

TEST(PlanEgress, MissingGatewayLeavesThePolicyOutOfForce) {
  Cluster c = StandardCluster();
  c.policies = {MakePolicy("shop", "app", Spec("gone")), MakePolicy("shop", "ok", Spec("gw"))};
  EgressPlan plan = PlanEgress(c.View());
  const PolicyOutcome& app = Outcome(plan, Np("shop", "app"));
  EXPECT_FALSE(app.target);
  EXPECT_EQ(app.mode, EipMode::kNone);
  ASSERT_EQ(app.problems.size(), 1u);
  EXPECT_EQ(app.problems[0].reason, "GatewayNotFound");
  EXPECT_FALSE(app.InForce(model::Family::kV4));
  EXPECT_TRUE(Outcome(plan, Np("shop", "ok")).InForce(model::Family::kV4));
  EXPECT_FALSE(Outcome(plan, Np("shop", "ok")).InForce(model::Family::kV6));  // no IPv6 EIP
}

TEST(PlanEgress, UseNodeIpPoliciesAreSpreadAsUnitsOfTheirOwn) {
  Cluster c = StandardCluster();
  for (const std::string name : {"a", "b", "c"}) {
    model::EgressPolicySpec s = Spec("gw");
    s.egress_ip.use_node_ip = true;
    c.policies.push_back(MakePolicy("shop", name, s));
  }
  EgressPlan plan = PlanEgress(c.View());
  std::set<std::string> firsts;
  for (const std::string name : {"a", "b", "c"}) {
    const EgressTarget& t = TargetOf(plan, Np("shop", name));
    EXPECT_TRUE(t.use_node_ip());
    EXPECT_EQ(t.key, "node-ip:EgressPolicy/shop/" + name);
    EXPECT_EQ(t.unit, t.key);
    ASSERT_EQ(t.candidates.size(), 3u);
    firsts.insert(t.candidates[0]);
  }
  EXPECT_EQ(firsts.size(), 3u);
  EXPECT_EQ(Outcome(plan, Np("shop", "a")).mode, EipMode::kNodeIp);
}

TEST(PlanEgress, TargetsSharingAnAddressFormOneUnit) {
  Cluster c = StandardCluster();
  c.gateways = {MakeGateway("gw", {"10.6.1.21-10.6.1.23"}, {"fd00::21-fd00::23"}, true)};
  model::EgressPolicySpec odd = Spec("gw");
  odd.egress_ip.ipv4 = Ip("10.6.1.21");
  odd.egress_ip.ipv6 = Ip("fd00::23");  // not 10.6.1.21's partner
  c.policies = {MakePolicy("shop", "default", Spec("gw")), MakePolicy("shop", "odd", odd),
                MakePolicy("shop", "other", [] {
                  model::EgressPolicySpec s = Spec("gw");
                  s.egress_ip.ipv4 = Ip("10.6.1.22");
                  return s;
                }())};
  EgressPlan plan = PlanEgress(c.View());
  const EgressTarget& d = TargetOf(plan, Np("shop", "default"));
  const EgressTarget& o = TargetOf(plan, Np("shop", "odd"));
  EXPECT_EQ(d.key, "10.6.1.21/fd00::21");
  EXPECT_EQ(o.key, "10.6.1.21/fd00::23");
  EXPECT_EQ(d.unit, "10.6.1.21,fd00::21,fd00::23");
  EXPECT_EQ(o.unit, d.unit);
  EXPECT_EQ(o.candidates, d.candidates);  // 10.6.1.21 is held by one node only
  EXPECT_EQ(TargetOf(plan, Np("shop", "other")).unit, "10.6.1.22,fd00::22");
}

TEST(PlanEgress, NoReadyGatewayNodeIsAProblemButKeepsTheTarget) {
  Cluster c = StandardCluster();
  for (int i = 0; i < 3; ++i)
    c.nodes[i].status.conditions[0].status = model::ConditionStatus::kFalse;
  c.policies = {MakePolicy("shop", "app", Spec("gw"))};
  EgressPlan plan = PlanEgress(c.View());
  const PolicyOutcome& app = Outcome(plan, Np("shop", "app"));
  ASSERT_TRUE(app.target);
  EXPECT_TRUE(plan.targets[*app.target].candidates.empty());
  ASSERT_EQ(app.problems.size(), 1u);
  EXPECT_EQ(app.problems[0].reason, "NoGatewayNode");
  EXPECT_EQ(app.problems[0].message,
            "no Ready node of EgressGateway \"gw\" (its nodeSelector matches 3 node(s)); the "
            "policy's traffic is dropped until one is Ready");
}

TEST(PlanEgress, RrEipsStayStableThroughPolicyStatus) {
  Cluster c = StandardCluster();
  model::EgressPolicySpec rr = Spec("gw");
  rr.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
  c.policies = {MakePolicy("shop", "b", rr), MakePolicy("shop", "c", rr)};
  WriteStatus(&c);
  EXPECT_EQ(c.policies[0].status.eip_ipv4->ToString(), "10.6.1.22");
  EXPECT_EQ(c.policies[1].status.eip_ipv4->ToString(), "10.6.1.23");
  c.policies.push_back(MakePolicy("shop", "a", rr));  // sorts first
  EgressPlan plan = PlanEgress(c.View());
  EXPECT_EQ(Outcome(plan, Np("shop", "a")).eip.ToString(), "10.6.1.24");
  EXPECT_EQ(Outcome(plan, Np("shop", "b")).eip.ToString(), "10.6.1.22");
  EXPECT_EQ(Outcome(plan, Np("shop", "c")).eip.ToString(), "10.6.1.23");
}

TEST(PlanEgress, PlacementStaysStableThroughGatewayStatus) {
  Cluster c = StandardCluster();
  model::EgressPolicySpec rr = Spec("gw");
  rr.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
  for (const std::string name : {"a", "b", "c", "d", "e", "f"}) {
    c.policies.push_back(MakePolicy("shop", name, rr));
  }
  WriteStatus(&c);
  EgressPlan before = PlanEgress(c.View());
  // n2 stops being a gateway node: only the EIPs it carried move.
  c.nodes[1].status.conditions[0].status = model::ConditionStatus::kFalse;
  EgressPlan after = PlanEgress(c.View());
  int moved = 0;
  for (const std::string name : {"a", "b", "c", "d", "e", "f"}) {
    const std::string& was = TargetOf(before, Np("shop", name)).candidates[0];
    const std::string& now = TargetOf(after, Np("shop", name)).candidates[0];
    if (was == "n2") {
      EXPECT_NE(now, "n2");
      ++moved;
    } else {
      EXPECT_EQ(now, was) << name;
    }
  }
  EXPECT_EQ(moved, 2);  // 6 EIPs over 3 nodes: two were on n2
}

TEST(PreviousHolders, ReadsAddressesAndUseNodeIpPolicies) {
  model::EgressGatewayStatus s;
  model::EgressGatewayNodeStatus n1;
  n1.name = "n1";
  model::EgressGatewayEip eip;
  eip.ipv4 = Ip("10.6.1.21");
  eip.ipv6 = Ip("fd00::21");
  n1.eips.push_back(eip);
  model::EgressGatewayEip node_ip;
  node_ip.policies = {{"app", "shop"}, {"all", ""}};
  n1.eips.push_back(node_ip);
  s.node_list.push_back(n1);
  auto h = PreviousHolders(s);
  EXPECT_EQ(h.at("10.6.1.21"), "n1");
  EXPECT_EQ(h.at("fd00::21"), "n1");
  EXPECT_EQ(h.at("node-ip:EgressPolicy/shop/app"), "n1");
  EXPECT_EQ(h.at("node-ip:EgressClusterPolicy/all"), "n1");
}

}  // namespace
}  // namespace egret::core::egress
