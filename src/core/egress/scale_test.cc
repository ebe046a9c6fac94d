// Scale smoke test: 10,000 pods x 1,000 policies over 100 nodes and 4 gateways go through
// the whole pipeline (plan, steering, every node's state, every status). No timing assertion:
// it must finish (ctest's timeout) and produce coherent values.
#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"
#include "core/egress/node_state.h"
#include "core/egress/status.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

constexpr int kNodes = 100;
constexpr int kGateways = 4;
constexpr int kNamespaces = 50;
constexpr int kPodsPerNamespace = 200;
constexpr int kApps = 20;

std::string NodeName(int i) { return "node" + std::to_string(i); }

Cluster BigCluster() {
  Cluster c;
  for (int i = 0; i < kNodes; ++i) {
    Labels labels;
    if (i < 3 * kGateways) labels["egress-group"] = "g" + std::to_string(i % kGateways);
    c.nodes.push_back(MakeNode(NodeName(i), labels, true, "192.168.1." + std::to_string(i + 1)));
  }
  for (int g = 0; g < kGateways; ++g) {
    model::EgressGateway gw =
        MakeGateway("gw" + std::to_string(g), {"10.6." + std::to_string(g) + ".0/24"}, {}, g == 0);
    gw.spec.node_selector = Selector({{"egress-group", "g" + std::to_string(g)}});
    c.gateways.push_back(gw);
  }
  for (int n = 0; n < kNamespaces; ++n) {
    c.namespaces.push_back(
        MakeNamespace("ns" + std::to_string(n), {{"team", "t" + std::to_string(n % 5)}}));
  }
  for (int n = 0; n < kNamespaces; ++n) {
    for (int k = 0; k < kPodsPerNamespace; ++k) {
      int serial = n * kPodsPerNamespace + k;
      c.pods.push_back(MakePod(
          "ns" + std::to_string(n), "pod" + std::to_string(k), NodeName(serial % kNodes),
          {"10.244." + std::to_string(serial / 250) + "." + std::to_string(serial % 250 + 1)},
          {{"app", "a" + std::to_string(k % kApps)}}));
    }
  }
  c.internal.cluster_pod_cidrs = {Net("10.244.0.0/16")};
  c.internal.service_cidrs = {Net("10.96.0.0/12")};
  c.internal.node_addresses = NodeAddresses(c.nodes);
  return c;
}

model::EgressPolicySpec VariedSpec(int i) {
  model::EgressPolicySpec s =
      Spec(i % 7 == 0 ? "" : "gw" + std::to_string(i % kGateways),
           {{"app", "a" + std::to_string(i / kNamespaces % kApps)}}, (i * 37) % 1001);
  if (i % 3 == 0) s.egress_ip.allocator_policy = model::AllocatorPolicy::kRoundRobin;
  if (i % 11 == 0) s.egress_ip.use_node_ip = true;
  if (i % 2 == 0) s.dest_subnet = {Net(std::to_string(1 + i % 200) + ".0.0.0/8")};
  if (i % 5 == 0) s.dest_subnet.push_back(Net("203.0." + std::to_string(i % 256) + ".0/24"));
  return s;
}

TEST(Scale, TenThousandPodsThousandPolicies) {
  Cluster c = BigCluster();
  for (int i = 0; i < 900; ++i) {
    c.policies.push_back(
        MakePolicy("ns" + std::to_string(i % kNamespaces), "p" + std::to_string(i), VariedSpec(i)));
  }
  for (int i = 0; i < 100; ++i) {
    model::EgressPolicySpec s = VariedSpec(i + 1000);
    s.applied_to.namespace_selector = Selector({{"team", "t" + std::to_string(i % 5)}});
    c.cluster_policies.push_back(MakeClusterPolicy("c" + std::to_string(i), s));
  }
  ASSERT_EQ(c.pods.size(), 10000u);
  EgressPlan plan = PlanEgress(c.View());
  EgressSteering steering = CompileSteering(plan, c.View());
  ASSERT_EQ(plan.policies.size(), 1000u);
  EXPECT_GT(steering.sources.size(), 5000u);
  size_t rows = 0, duties = 0;
  for (const model::Node& node : c.nodes) {
    NodeEgressState s = DesiredEgressForNode(plan, steering, node.metadata.name);
    rows += s.steering.size();
    duties += s.snat.size();
    for (const SteeringRow& r : s.steering) ASSERT_LT(r.target, s.targets.size());
  }
  EXPECT_GT(rows, steering.sources.size());
  RecordProperty("sources", static_cast<int>(steering.sources.size()));
  RecordProperty("classes", static_cast<int>(steering.classes.size()));
  RecordProperty("steering_rows", static_cast<int>(rows));
  RecordProperty("snat_duties", static_cast<int>(duties));
  EXPECT_GT(duties, 0u);
  for (const PolicyOutcome& p : plan.policies) {
    model::EgressPolicyStatus st = PolicyStatus(plan, p, ReadyNodes(plan));
    if (p.target) {
      EXPECT_FALSE(st.node.empty()) << p.id.ToString();
    }
  }
  for (const GatewayOutcome& g : plan.gateways) {
    model::EgressGatewayStatus st = GatewayStatus(plan, g, ReadyNodes(plan));
    EXPECT_EQ(st.node_list.size(), 3u);
  }
}

}  // namespace
}  // namespace egret::core::egress
