#include "core/netpol/state_codec.h"

#include <gtest/gtest.h>

#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"
#include "doc/json.h"

namespace egret::core::netpol {
namespace {

// Every compiled state of every conformance scenario survives encode -> JSON -> decode, and
// encoding the decoded state gives the same text.
TEST(NodePolicyStateCodec, RoundTripsEveryConformanceScenario) {
  for (const testing::Scenario& sc : testing::Scenarios()) {
    PolicyCluster c = testing::ConformanceCluster();
    testing::AddPolicies(&c, sc.yaml);
    for (const NodePolicyState& st : testing::CompileAll(c)) {
      std::string json = doc::ToJson(EncodeNodePolicyState(st));
      auto parsed = doc::ParseJson(json);
      ASSERT_TRUE(parsed.ok());
      StatusOr<NodePolicyState> back = DecodeNodePolicyState(*parsed);
      ASSERT_TRUE(back.ok()) << sc.name << ": " << back.status().ToString();
      EXPECT_EQ(*back, st) << sc.name << " " << st.node;
      EXPECT_EQ(doc::ToJson(EncodeNodePolicyState(*back)), json);
    }
  }
}

Status DecodeText(std::string_view json) {
  auto v = doc::ParseJson(json);
  if (!v.ok()) return v.status();
  return DecodeNodePolicyState(*v).status();
}

constexpr std::string_view kValid = R"({"node": "n1", "nodePods": [],
  "addressSets": [{"name": "a1", "key": "k", "members": ["10.0.0.1", "fd00::1"]}],
  "portSets": [{"name": "n1", "key": "port p", "members": ["10.0.0.1 TCP 80"]}],
  "pods": [{"namespace": "x", "name": "a", "addresses": [],
    "ingress": {"admin": {"rules": [], "otherwise": "NextTier"},
                "networkPolicy": {"rules": [{"peer": {"set": "a1"}, "action": "Accept",
                                             "ports": [{"protocol": "TCP", "first": 80,
                                                        "last": 81}]}],
                                  "otherwise": "Drop"},
                "baseline": {"rules": [], "otherwise": "Accept"}},
    "egress": {"admin": {"rules": [{"ports": [{"portSet": "n1"}], "action": "Accept"}],
                         "otherwise": "NextTier"},
               "networkPolicy": {"rules": [], "otherwise": "NextTier"},
               "baseline": {"rules": [{"peer": {"ranges": ["10.0.0.0-10.0.0.255"]},
                                       "action": "Drop"}], "otherwise": "Accept"}}}]})";

std::string With(std::string_view from, std::string_view to) {
  std::string s(kValid);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(NodePolicyStateCodec, AcceptsAValidState) {
  Status st = DecodeText(kValid);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(NodePolicyStateCodec, RejectsAReferenceToAnUndefinedSet) {
  Status st = DecodeText(With(R"({"set": "a1"})", R"({"set": "a2"})"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("NodePolicyState \"n1\": pods[0].ingress.networkPolicy.rules[0]"
                              ".peer.set: \"a2\" is not one of the state's addressSets"),
            std::string::npos)
      << st.message();
  st = DecodeText(With(R"({"portSet": "n1"})", R"({"portSet": "n9"})"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("pods[0].egress.admin.rules[0].ports[0].portSet: \"n9\" is not one"),
            std::string::npos)
      << st.message();
}

TEST(NodePolicyStateCodec, RejectsSetNamesThatAreNotPlainIdentifiers) {
  Status st = DecodeText(With(R"("name": "a1")", R"("name": "a1 }; flush ruleset")"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("addressSets[0].name: \"a1 }; flush ruleset\" is not a set name"),
            std::string::npos)
      << st.message();
}

TEST(NodePolicyStateCodec, RejectsBadAddressesRangesTuplesAndActions) {
  Status st = DecodeText(With(R"("10.0.0.1", "fd00::1")", R"("10.0.0.300")"));
  EXPECT_NE(st.message().find("addressSets[0].members[0]: \"10.0.0.300\" is not an IP address"),
            std::string::npos)
      << st.message();
  st = DecodeText(With("10.0.0.0-10.0.0.255", "10.0.0.9-10.0.0.1"));
  EXPECT_NE(st.message().find("peer.ranges[0]: \"10.0.0.9-10.0.0.1\" is not a valid range"),
            std::string::npos)
      << st.message();
  st = DecodeText(With("10.0.0.1 TCP 80", "10.0.0.1 ICMP 80"));
  EXPECT_NE(st.message().find("portSets[0].members[0]: \"10.0.0.1 ICMP 80\" is not"),
            std::string::npos)
      << st.message();
  st = DecodeText(With(R"("otherwise": "Drop")", R"("otherwise": "Reject")"));
  EXPECT_NE(
      st.message().find("networkPolicy.otherwise: \"Reject\" is not Accept, Drop or NextTier"),
      std::string::npos)
      << st.message();
  st = DecodeText(With(R"("first": 80)", R"("first": 90)"));
  EXPECT_NE(st.message().find("ports[0].last: 81 is below first"), std::string::npos)
      << st.message();
}

TEST(NodePolicyStateCodec, RejectsUnknownFields) {
  Status st = DecodeText(With(R"("node": "n1")", R"("node": "n1", "extra": 1)"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("extra"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace egret::core::netpol
