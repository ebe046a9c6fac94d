// Node: every validation rule, canonical text, the helpers and the round trip.
#include "model/node.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/yaml.h"
#include "model/kinds_all.h"
#include "model/model_test_util.h"

namespace egret::model {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kNode = R"(
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: {egret.io/gateway: "true"}
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24, "fd00:10:244:1::/64"]
status:
  addresses:
  - {type: InternalIP, address: 192.168.1.10}
  - {type: InternalIP, address: "fd00::10"}
  - {type: ExternalIP, address: 203.0.113.7}
  - {type: Hostname, address: node-1}
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status
    lastHeartbeatTime: "2024-05-01T12:00:00Z"
    lastTransitionTime: "2024-05-01T11:00:00.123+02:00"
)";

TEST(NodeTest, Rules) {
  static constexpr RuleCase kCases[] = {
      {"metadata.namespace", "shop", "metadata.namespace", "cluster-scoped"},
      {"spec.podCIDR", "10.244.1.0/33", "spec.podCIDR", "bad prefix length"},
      {"spec.podCIDR", "10.244.1.1/24", "spec.podCIDR", "host bits set"},
      {"spec.podCIDR", "10.244.2.0/24", "spec.podCIDR",
       "\"10.244.2.0/24\" does not match spec.podCIDRs[0] \"10.244.1.0/24\""},
      {"spec.podCIDR", nullptr, "", ""},
      {"spec.podCIDRs", nullptr, "", ""},
      {"spec.podCIDRs", "[10.244.1.0/24, 10.245.1.0/24]", "spec.podCIDRs[1]",
       "\"10.245.1.0/24\" is a second IPv4 CIDR: give at most one per IP family"},
      {"spec.podCIDRs", "[5]", "spec.podCIDRs[0]", "must be a string, not integer"},
      {"spec.podCIDRs", "10.244.1.0/24", "spec.podCIDRs", "must be a list"},
      {"spec.unschedulable", "true", "", ""},
      {"spec.unschedulable", "no", "spec.unschedulable", "must be a boolean"},
      {"spec.taints", "[]", "spec.taints", "unknown field"},
      {"status.addresses[0].type", "Internal", "status.addresses[0].type",
       "\"Internal\" is not a valid address type: use InternalIP, ExternalIP, InternalDNS, "
       "ExternalDNS or Hostname"},
      {"status.addresses[0].type", nullptr, "status.addresses[0].type", "Required value"},
      {"status.addresses[0].address", nullptr, "status.addresses[0].address", "Required value"},
      {"status.addresses[0].address", "node-1", "status.addresses[0].address",
       "\"node-1\" is not an IP address"},
      {"status.addresses[2].address", "300.1.1.1", "status.addresses[2].address",
       "is not an IP address"},
      {"status.addresses[3].type", "InternalDNS", "", ""},
      {"status.addresses[1].address", "192.168.1.10", "status.addresses[1]",
       "\"192.168.1.10\" is already listed as InternalIP"},
      {"status.addresses[0].foo", "1", "status.addresses[0].foo", "unknown field"},
      {"status.conditions[0].type", nullptr, "status.conditions[0].type", "Required value"},
      {"status.conditions[0].status", nullptr, "status.conditions[0].status", "Required value"},
      {"status.conditions[0].status", "\"true\"", "status.conditions[0].status",
       "use True, False or Unknown"},
      {"status.conditions[0].status", "true", "status.conditions[0].status", "must be a string"},
      {"status.conditions[0].lastHeartbeatTime", "yesterday",
       "status.conditions[0].lastHeartbeatTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastHeartbeatTime", "\"2024-05-01 12:00:00\"",
       "status.conditions[0].lastHeartbeatTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastTransitionTime", "\"2024-13-01T00:00:00Z\"",
       "status.conditions[0].lastTransitionTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastTransitionTime", "\"2024-05-01T00:00:00-07:30\"", "", ""},
      {"status.conditions[0].reason", nullptr, "", ""},
      {"status.conditions[0].lastTransitionTime", nullptr, "", ""},
      {"status.conditions[0].observedGeneration", "1", "status.conditions[0].observedGeneration",
       "unknown field"},
      {"status.conditions", "[{type: Ready, status: \"True\"}, {type: Ready, status: \"False\"}]",
       "status.conditions[1].type", "Duplicate value: \"Ready\" (one condition per type)"},
      {"status.nodeInfo", "{}", "status.nodeInfo", "unknown field"},
  };
  RunCases(kNode, &CanonicalizeNode, kCases);
}

TEST(NodeTest, HelpersAndCanonicalText) {
  doc::Value v = Yaml(kNode);
  Mutate(&v, "status.addresses[1].address", "FD00:0:0::10");
  Mutate(&v, "spec.podCIDRs", nullptr);
  FieldErrors errs;
  Node node = DecodeNode(v, &errs);
  ASSERT_TRUE(errs.empty()) << errs.ToStatus("Node", "", "n").message();
  ASSERT_EQ(node.spec.pod_cidrs.size(), 1u);  // filled from podCIDR
  std::vector<IpAddress> ips = InternalIPs(node);
  ASSERT_EQ(ips.size(), 2u);
  EXPECT_EQ(ips[0].ToString(), "192.168.1.10");
  EXPECT_EQ(ips[1].ToString(), "fd00::10");
  EXPECT_EQ(FindCondition(node, "Ready"), ConditionStatus::kTrue);
  EXPECT_EQ(FindCondition(node, "DiskPressure"), ConditionStatus::kUnknown);
  std::string yaml = doc::ToYaml(EncodeNode(node));
  EXPECT_THAT(yaml, HasSubstr("podCIDR: 10.244.1.0/24\n  podCIDRs:\n  - 10.244.1.0/24\n"));
  EXPECT_THAT(yaml, HasSubstr("address: fd00::10"));
}

TEST(NodeTest, RoundTrip) { ExpectRoundTrip<Node>(kNode, &DecodeNode, &EncodeNode); }

}  // namespace
}  // namespace egret::model
