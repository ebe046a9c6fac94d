// Gateway resolution (spec name, namespace label, cluster default, missing gateways) and the
// choice of gateway nodes (nodeSelector and Ready).
#include "core/egress/gateway_select.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using testing::MakeGateway;
using testing::MakeNode;

const std::map<std::string, std::string> kNoLabels;
const std::map<std::string, std::string> kLabelGwB = {{"egret.io/default-gateway", "gw-b"}};

class ResolveGatewayTest : public ::testing::Test {
 protected:
  std::vector<model::EgressGateway> gateways = {MakeGateway("gw-a", {"10.6.1.21"}),
                                                MakeGateway("gw-b", {"10.6.1.22"}),
                                                MakeGateway("gw-def", {"10.6.1.23"}, {}, true)};
  GatewayChoice Resolve(const PolicyId& id, const std::string& spec_name,
                        const std::map<std::string, std::string>& ns_labels) {
    GatewayDirectory dir(gateways);
    model::EgressPolicySpec spec;
    spec.egress_gateway_name = spec_name;
    return ResolveGateway(id, spec, ns_labels, dir);
  }
};

TEST_F(ResolveGatewayTest, SpecNameWinsOverLabelAndDefault) {
  GatewayChoice c = Resolve(PolicyId::Namespaced("shop", "app"), "gw-a", kLabelGwB);
  EXPECT_EQ(c.name, "gw-a");
  EXPECT_EQ(c.source, GatewaySource::kSpec);
  ASSERT_NE(c.gateway, nullptr);
  EXPECT_EQ(c.gateway->metadata.name, "gw-a");
  EXPECT_FALSE(c.problem);
}

TEST_F(ResolveGatewayTest, NamespaceLabelBeforeClusterDefault) {
  GatewayChoice c = Resolve(PolicyId::Namespaced("shop", "app"), "", kLabelGwB);
  EXPECT_EQ(c.name, "gw-b");
  EXPECT_EQ(c.source, GatewaySource::kNamespaceLabel);
}

TEST_F(ResolveGatewayTest, ClusterDefaultLast) {
  GatewayChoice c = Resolve(PolicyId::Namespaced("shop", "app"), "", kNoLabels);
  EXPECT_EQ(c.name, "gw-def");
  EXPECT_EQ(c.source, GatewaySource::kClusterDefault);
}

TEST_F(ResolveGatewayTest, ClusterPolicyIgnoresNamespaceLabel) {
  GatewayChoice c = Resolve(PolicyId::Cluster("all"), "", kLabelGwB);
  EXPECT_EQ(c.name, "gw-def");
}

TEST_F(ResolveGatewayTest, MissingNamedGatewayIsReportedNotReplaced) {
  GatewayChoice c = Resolve(PolicyId::Namespaced("shop", "app"), "gone", kNoLabels);
  EXPECT_EQ(c.name, "gone");
  EXPECT_EQ(c.gateway, nullptr);
  ASSERT_TRUE(c.problem);
  EXPECT_EQ(c.problem->reason, "GatewayNotFound");
  EXPECT_EQ(c.problem->message,
            "spec.egressGatewayName names EgressGateway \"gone\", which does not exist: create "
            "it or name an existing gateway");
}

TEST_F(ResolveGatewayTest, MissingLabelGatewayIsReportedNotReplaced) {
  GatewayChoice c =
      Resolve(PolicyId::Namespaced("shop", "app"), "", {{"egret.io/default-gateway", "gone"}});
  EXPECT_EQ(c.gateway, nullptr);
  ASSERT_TRUE(c.problem);
  EXPECT_EQ(c.problem->reason, "GatewayNotFound");
  EXPECT_NE(c.problem->message.find("the label egret.io/default-gateway of Namespace \"shop\""),
            std::string::npos)
      << c.problem->message;
}

TEST_F(ResolveGatewayTest, NoGatewayAtAll) {
  gateways.pop_back();  // no cluster default left
  GatewayChoice c = Resolve(PolicyId::Namespaced("shop", "app"), "", kNoLabels);
  EXPECT_EQ(c.gateway, nullptr);
  EXPECT_EQ(c.source, GatewaySource::kNone);
  ASSERT_TRUE(c.problem);
  EXPECT_EQ(c.problem->reason, "NoGateway");
  EXPECT_EQ(c.problem->message,
            "no gateway: spec.egressGatewayName is empty, Namespace \"shop\" has no label "
            "egret.io/default-gateway, and no EgressGateway has spec.clusterDefault: true; name "
            "a gateway or mark one as the cluster default");
  GatewayChoice cp = Resolve(PolicyId::Cluster("all"), "", kNoLabels);
  ASSERT_TRUE(cp.problem);
  EXPECT_EQ(cp.problem->message.find("Namespace"), std::string::npos);
}

TEST_F(ResolveGatewayTest, TwoClusterDefaultsFirstByNameWins) {
  gateways.push_back(MakeGateway("gw-aaa", {"10.6.1.30"}, {}, true));
  EXPECT_EQ(Resolve(PolicyId::Cluster("all"), "", kNoLabels).name, "gw-aaa");
}

TEST(SelectGatewayNodes, SelectorAndReadiness) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21"});
  std::vector<model::Node> nodes = {MakeNode("n3"), MakeNode("n1"),
                                    MakeNode("n2", {{"egress", "true"}}, /*ready=*/false),
                                    MakeNode("worker", {{"role", "worker"}})};
  model::Node no_condition = MakeNode("n4");
  no_condition.status.conditions.clear();  // Ready unknown: not ready
  nodes.push_back(no_condition);
  GatewayNodes g = SelectGatewayNodes(gw, nodes);
  EXPECT_EQ(g.matching, (std::vector<std::string>{"n1", "n2", "n3", "n4"}));
  EXPECT_EQ(g.ready, (std::vector<std::string>{"n1", "n3"}));
}

TEST(SelectGatewayNodes, EmptySelectorSelectsEveryNode) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21"});
  gw.spec.node_selector = {};
  std::vector<model::Node> nodes = {MakeNode("a", {}), MakeNode("b", {{"x", "y"}})};
  EXPECT_EQ(SelectGatewayNodes(gw, nodes).ready, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace egret::core::egress
