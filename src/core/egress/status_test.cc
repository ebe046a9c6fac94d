// Status values: policy EIP and node, gateway node list with EIPs and policies, pool usage,
// failover as seen in status, and the Ready condition.
#include "core/egress/status.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

class StatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c = StandardCluster();
    c.gateways[0].spec.ippools.ipv6 = Pool({"fd00::21-fd00::2a"});
    model::EgressPolicySpec rr = Spec("gw");
    rr.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
    model::EgressPolicySpec node_ip = Spec("gw");
    node_ip.egress_ip.use_node_ip = true;
    c.policies = {MakePolicy("shop", "app", Spec("gw")), MakePolicy("shop", "rr", rr),
                  MakePolicy("shop", "nip", node_ip), MakePolicy("shop", "lost", Spec("gone"))};
    c.cluster_policies = {MakeClusterPolicy("all", Spec(""))};
    c.nodes[2].status.conditions[0].status = model::ConditionStatus::kFalse;  // n3
    plan = PlanEgress(c.View());
  }
  Cluster c;
  EgressPlan plan;
};

TEST_F(StatusTest, PolicyStatusHasEipAndActiveNode) {
  const PolicyOutcome& app = Outcome(plan, Np("shop", "app"));
  model::EgressPolicyStatus s = PolicyStatus(plan, app, ReadyNodes(plan));
  EXPECT_EQ(s.eip_ipv4, Ip("10.6.1.21"));
  EXPECT_EQ(s.eip_ipv6, Ip("fd00::21"));
  const std::vector<std::string>& cand = plan.targets[*app.target].candidates;
  ASSERT_EQ(cand.size(), 2u);  // n1 and n2: n3 is not Ready
  EXPECT_EQ(s.node, cand[0]);
  // Failover as the controller learns it: the first candidate is dead, the next carries.
  std::string dead = cand[0];
  AliveFn alive = [&](std::string_view n) { return plan.NodeIsReady(n) && n != dead; };
  EXPECT_EQ(PolicyStatus(plan, app, alive).node, cand[1]);
  EXPECT_EQ(PolicyStatus(plan, app, [](std::string_view) { return false; }).node, "");
}

TEST_F(StatusTest, PolicyStatusOfUseNodeIpAndOfAPolicyOutOfForce) {
  model::EgressPolicyStatus nip =
      PolicyStatus(plan, Outcome(plan, Np("shop", "nip")), ReadyNodes(plan));
  EXPECT_FALSE(nip.eip_ipv4);
  EXPECT_FALSE(nip.node.empty());
  model::EgressPolicyStatus lost =
      PolicyStatus(plan, Outcome(plan, Np("shop", "lost")), ReadyNodes(plan));
  EXPECT_FALSE(lost.eip_ipv4 || lost.eip_ipv6);
  EXPECT_EQ(lost.node, "");
  // Out of force, and the status says why.
  ASSERT_EQ(lost.conditions.size(), 1u);
  EXPECT_EQ(lost.conditions[0].type, "Ready");
  EXPECT_EQ(lost.conditions[0].status, model::ConditionStatus::kFalse);
  EXPECT_EQ(lost.conditions[0].reason, "GatewayNotFound");
}

TEST_F(StatusTest, GatewayStatusListsNodesEipsPoliciesAndUsage) {
  model::EgressGatewayStatus s = GatewayStatus(plan, *plan.FindGateway("gw"), ReadyNodes(plan));
  ASSERT_EQ(s.node_list.size(), 3u);
  EXPECT_EQ(s.node_list[0].name, "n1");
  EXPECT_EQ(s.node_list[2].name, "n3");
  EXPECT_TRUE(s.node_list[0].ready);
  EXPECT_FALSE(s.node_list[2].ready);
  EXPECT_TRUE(s.node_list[2].eips.empty());
  // Every EIP in use appears once, on its active node, with its policies in PolicyId order.
  std::map<std::string, std::vector<model::EgressPolicyRef>> seen;
  for (const auto& node : s.node_list) {
    for (const auto& eip : node.eips) {
      std::string key = EipPair{eip.ipv4, eip.ipv6}.ToString();
      EXPECT_FALSE(seen.count(key)) << key;
      seen[key] = eip.policies;
      if (key.empty()) {
        EXPECT_EQ(&eip, &node.eips.back());  // the useNodeIP entry comes last
      }
    }
  }
  EXPECT_EQ(seen["10.6.1.21/fd00::21"],
            (std::vector<model::EgressPolicyRef>{{"app", "shop"}, {"all", ""}}));
  EXPECT_EQ(seen["10.6.1.22/fd00::22"], (std::vector<model::EgressPolicyRef>{{"rr", "shop"}}));
  EXPECT_EQ(seen[""], (std::vector<model::EgressPolicyRef>{{"nip", "shop"}}));
  ASSERT_TRUE(s.ip_usage);
  EXPECT_EQ(*s.ip_usage, (model::EgressGatewayIpUsage{10, 8, 10, 8}));
}

TEST_F(StatusTest, ReadyCondition) {
  model::Condition ok = PolicyReadyCondition(Outcome(plan, Np("shop", "app")));
  EXPECT_EQ(ok.type, "Ready");
  EXPECT_EQ(ok.status, model::ConditionStatus::kTrue);
  EXPECT_EQ(ok.reason, "Applied");
  EXPECT_EQ(ok.message, "traffic leaves through EgressGateway \"gw\" with EIP 10.6.1.21/fd00::21");
  EXPECT_EQ(PolicyReadyCondition(Outcome(plan, Np("shop", "nip"))).message,
            "traffic leaves through EgressGateway \"gw\" with the gateway node's address");
  model::Condition lost = PolicyReadyCondition(Outcome(plan, Np("shop", "lost")));
  EXPECT_EQ(lost.status, model::ConditionStatus::kFalse);
  EXPECT_EQ(lost.reason, "GatewayNotFound");
  EXPECT_NE(lost.message.find("EgressGateway \"gone\""), std::string::npos);
  EXPECT_TRUE(lost.last_transition_time.empty());
}

TEST_F(StatusTest, StatusRoundTripsThroughTheGatewayCodec) {
  model::EgressGateway gw = c.gateways[0];
  gw.status = GatewayStatus(plan, *plan.FindGateway("gw"), ReadyNodes(plan));
  model::FieldErrors errs;
  model::EgressGateway back = model::DecodeEgressGateway(model::EncodeEgressGateway(gw), &errs);
  EXPECT_TRUE(errs.empty()) << errs.ToStatus("EgressGateway", "", "gw").ToString();
  EXPECT_EQ(back.status, gw.status);
}

}  // namespace
}  // namespace egret::core::egress
