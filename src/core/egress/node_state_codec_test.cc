// The wire form of NodeEgressState: lossless round trip for every role, strict decoding.
#include "core/egress/node_state_codec.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"
#include "doc/json.h"

namespace egret::core::egress {
namespace {

using namespace testing;  // NOLINT: the fixtures

NodeEgressState Sample(const std::string& node) {
  Cluster c = StandardCluster();
  c.nodes.push_back(MakeNode("w2", {}, true, "192.168.0.5"));
  c.internal.node_addresses = NodeAddresses(c.nodes);
  c.pods = {MakePod("shop", "web", "w1", {"10.244.1.5", "fd00:10:244:1::5"}, {{"app", "web"}}),
            MakePod("shop", "api", "n1", {"10.244.2.6"}, {{"app", "api"}})};
  model::EgressPolicySpec web = Spec("gw", {{"app", "web"}});
  web.dest_subnet = {Net("1.2.3.0/24")};
  model::EgressPolicySpec api = Spec("gw", {{"app", "api"}});
  api.egress_ip.use_node_ip = true;
  c.policies = {MakePolicy("shop", "web", web), MakePolicy("shop", "api", api)};
  EgressPlan plan = PlanEgress(c.View());
  EgressSteering steering = CompileSteering(plan, c.View());
  return DesiredEgressForNode(plan, steering, node);
}

TEST(NodeStateCodecTest, RoundTripsSourceAndGatewayRoles) {
  for (const char* node : {"w1", "n1", "w2"}) {
    NodeEgressState state = Sample(node);
    auto back = DecodeNodeEgressState(EncodeNodeEgressState(state));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, state) << node;
  }
  EXPECT_FALSE(Sample("w1").steering.empty());
  EXPECT_FALSE(Sample("n1").snat.empty());
}

TEST(NodeStateCodecTest, RoundTripsThroughJsonText) {
  NodeEgressState state = Sample("n1");
  auto parsed = doc::ParseJson(doc::ToJson(EncodeNodeEgressState(state)));
  ASSERT_TRUE(parsed.ok());
  auto back = DecodeNodeEgressState(*parsed);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, state);
}

TEST(NodeStateCodecTest, RejectsATargetIndexOutOfRange) {
  doc::Value v = EncodeNodeEgressState(Sample("w1"));
  v.Find("steering")->as_list()[0].Set("target", int64_t{7});
  auto back = DecodeNodeEgressState(v);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.status().message().find("steering[0].target: 7 is not the index"),
            std::string::npos)
      << back.status().message();
}

TEST(NodeStateCodecTest, RejectsMalformedAddressesAndUnknownFields) {
  doc::Value v = EncodeNodeEgressState(Sample("w1"));
  v.Find("steering")->as_list()[0].Set("source", "10.244.1.300");
  v.Find("targets")->as_list()[0].Set("color", "blue");
  auto back = DecodeNodeEgressState(v);
  ASSERT_FALSE(back.ok());
  const std::string& msg = back.status().message();
  EXPECT_NE(msg.find("NodeEgressState \"w1\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("steering[0].source: \"10.244.1.300\" is not an IP address"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("targets[0].color: unknown field"), std::string::npos) << msg;
}

}  // namespace
}  // namespace egret::core::egress
