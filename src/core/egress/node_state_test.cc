// Per-node desired state: steering rows on a source node, SNAT duties on a gateway node, both
// roles on one node, and no role.
#include "core/egress/node_state.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

class NodeStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c = StandardCluster();
    c.nodes.push_back(MakeNode("w2", {}, true, "192.168.0.5"));
    c.internal.node_addresses = NodeAddresses(c.nodes);
    c.pods = {MakePod("shop", "web", "w1", {"10.244.1.5"}, {{"app", "web"}}),
              MakePod("shop", "api", "w1", {"10.244.1.6"}, {{"app", "api"}}),
              MakePod("shop", "web2", "n1", {"10.244.2.5"}, {{"app", "web"}})};
    model::EgressPolicySpec web = Spec("gw", {{"app", "web"}});
    web.dest_subnet = {Net("1.2.3.0/24")};
    model::EgressPolicySpec api = Spec("gw", {{"app", "api"}});
    api.dest_subnet = {Net("5.6.7.0/24")};
    api.egress_ip.use_node_ip = true;
    c.policies = {MakePolicy("shop", "web", web), MakePolicy("shop", "api", api)};
  }
  NodeEgressState For(const std::string& node) {
    plan = PlanEgress(c.View());
    steering = CompileSteering(plan, c.View());
    return DesiredEgressForNode(plan, steering, node);
  }
  Cluster c;
  EgressPlan plan;
  EgressSteering steering;
};

TEST_F(NodeStateTest, SourceNodeGetsOneRowPerPodAndDestination) {
  NodeEgressState w1 = For("w1");
  EXPECT_EQ(w1.node, "w1");
  ASSERT_EQ(w1.steering.size(), 2u);
  const SteeringRow& web = w1.steering[0];
  EXPECT_EQ(web.source, Ip("10.244.1.5"));
  EXPECT_EQ(web.destination.first, Ip("1.2.3.0"));
  EXPECT_EQ(web.destination.last, Ip("1.2.3.255"));
  EXPECT_EQ(web.policy, Np("shop", "web"));
  EXPECT_EQ(web.kind, DestinationKind::kDestSubnet);
  ASSERT_EQ(w1.targets.size(), 2u);
  EXPECT_EQ(w1.targets[web.target].key, "10.6.1.21");
  EXPECT_EQ(w1.targets[web.target].candidates.size(), 3u);
  const SteeringRow& api = w1.steering[1];
  EXPECT_EQ(api.source, Ip("10.244.1.6"));
  EXPECT_TRUE(w1.targets[api.target].use_node_ip());
  EXPECT_TRUE(w1.snat.empty());  // w1 is no gateway node
}

TEST_F(NodeStateTest, GatewayNodeGetsDutiesForEveryTargetItIsCandidateOf) {
  NodeEgressState n2 = For("n2");
  EXPECT_TRUE(n2.steering.empty());  // no pods on n2
  ASSERT_EQ(n2.snat.size(), 2u);     // every gateway node is a candidate of every target
  const SnatDuty& eip = n2.snat[0];
  EXPECT_EQ(n2.targets[eip.target].eip.ToString(), "10.6.1.21");
  ASSERT_EQ(eip.matches.size(), 1u);
  EXPECT_EQ(eip.matches[0].sources,
            (std::vector<model::IpAddress>{Ip("10.244.1.5"), Ip("10.244.2.5")}));
  ASSERT_EQ(eip.matches[0].destinations.size(), 1u);
  EXPECT_EQ(eip.matches[0].destinations[0].first, Ip("1.2.3.0"));
  EXPECT_EQ(eip.source_nodes, (std::vector<std::string>{"n1", "w1"}));
  const SnatDuty& node_ip = n2.snat[1];
  EXPECT_TRUE(n2.targets[node_ip.target].use_node_ip());
  EXPECT_EQ(node_ip.matches[0].sources, (std::vector<model::IpAddress>{Ip("10.244.1.6")}));
}

TEST_F(NodeStateTest, NodeWithBothRoles) {
  NodeEgressState n1 = For("n1");
  ASSERT_EQ(n1.steering.size(), 1u);
  EXPECT_EQ(n1.steering[0].source, Ip("10.244.2.5"));
  EXPECT_EQ(n1.snat.size(), 2u);
  // Candidates that are not alive still get the duty: takeover needs no controller.
  EXPECT_EQ(n1.targets.size(), 2u);
}

TEST_F(NodeStateTest, NodeWithoutRoleAndNotReadyGatewayNode) {
  NodeEgressState empty;
  empty.node = "w2";
  EXPECT_EQ(For("w2"), empty);
  c.nodes[2].status.conditions[0].status = model::ConditionStatus::kFalse;  // n3
  NodeEgressState n3 = For("n3");
  EXPECT_TRUE(n3.snat.empty());  // not Ready: no candidate
}

TEST_F(NodeStateTest, SourceNodesRowsFollowPriority) {
  model::EgressPolicySpec over = Spec("gw", {{"app", "web"}}, 500);
  over.egress_ip.use_node_ip = true;
  c.cluster_policies = {MakeClusterPolicy("override", over)};
  NodeEgressState w1 = For("w1");
  int web_rows = 0;
  for (const SteeringRow& r : w1.steering) {
    if (r.source != Ip("10.244.1.5")) continue;
    ++web_rows;
    EXPECT_EQ(r.policy, Cp("override"));  // 500 beats shop/web's 0, also on 1.2.3.0/24
    EXPECT_EQ(r.kind, DestinationKind::kExternal);
  }
  EXPECT_GT(web_rows, 1);
}

}  // namespace
}  // namespace egret::core::egress
