// EgressPolicy and EgressClusterPolicy: strict decoding, the single-object rules, canonical
// form and round trips. Cross-object rules are tested in src/core/admission/admission_test.cc.
#include "model/egress_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/yaml.h"
#include "model/kinds.h"
#include "model/kinds_all.h"
#include "model/model_test_util.h"

namespace egret::model {
namespace {

// Documents built around a spec (and optional status) written in YAML flow style.
std::string Pol(std::string_view spec, std::string_view status = "") {
  std::string s =
      "apiVersion: egret.io/v1\nkind: EgressPolicy\nmetadata: {name: p, namespace: ns}\n";
  s += "spec: " + std::string(spec) + "\n";
  if (!status.empty()) s += "status: " + std::string(status) + "\n";
  return s;
}
std::string Cpol(std::string_view spec) {
  return "apiVersion: egret.io/v1\nkind: EgressClusterPolicy\nmetadata: {name: c}\nspec: " +
         std::string(spec) + "\n";
}

constexpr std::string_view kPolicyInput = R"(
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: app, namespace: shop}
spec:
  egressGatewayName: default
  egressIP: {ipv4: 10.6.1.21, ipv6: "fd00:0::21"}
  appliedTo:
    podSelector: {matchLabels: {app: web}}
    podSubnet: [10.244.1.0/24, "fd10::/64"]
  destSubnet: [192.168.0.0/16]
  priority: 100
status:
  eip: {ipv4: 10.6.1.21, ipv6: "fd00::21"}
  node: node1
)";

constexpr std::string_view kPolicyCanonical = R"(apiVersion: egret.io/v1
kind: EgressPolicy
metadata:
  name: app
  namespace: shop
spec:
  egressGatewayName: default
  egressIP:
    ipv4: 10.6.1.21
    ipv6: fd00::21
    useNodeIP: false
    allocatorPolicy: default
  appliedTo:
    podSelector:
      matchLabels:
        app: web
    podSubnet:
    - 10.244.1.0/24
    - fd10::/64
  destSubnet:
  - 192.168.0.0/16
  priority: 100
status:
  eip:
    ipv4: 10.6.1.21
    ipv6: fd00::21
  node: node1
)";

constexpr std::string_view kClusterPolicyInput = R"(
apiVersion: egret.io/v1
kind: EgressClusterPolicy
metadata: {name: all-teams}
spec:
  egressIP: {allocatorPolicy: rr}
  appliedTo:
    podSelector: {}
    namespaceSelector: {matchLabels: {team: a}}
status: {node: node2}
)";

constexpr std::string_view kClusterPolicyCanonical = R"(apiVersion: egret.io/v1
kind: EgressClusterPolicy
metadata:
  name: all-teams
spec:
  egressIP:
    useNodeIP: false
    allocatorPolicy: rr
  appliedTo:
    podSelector: {}
    namespaceSelector:
      matchLabels:
        team: a
  priority: 0
status:
  node: node2
)";

TEST(EgressPolicy, CanonicalFormOfFullExamples) {
  StatusOr<doc::Value> p = CanonicalizeEgressPolicy(Yaml(kPolicyInput));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(doc::ToYaml(*p), kPolicyCanonical);
  StatusOr<doc::Value> c = CanonicalizeEgressClusterPolicy(Yaml(kClusterPolicyInput));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(doc::ToYaml(*c), kClusterPolicyCanonical);
}

TEST(EgressPolicy, RoundTrip) {
  ExpectRoundTrip<EgressPolicy>(kPolicyInput, &DecodeEgressPolicy, &EncodeEgressPolicy);
  EgressPolicy p = DecodeOk<EgressPolicy>(kPolicyInput, &DecodeEgressPolicy);
  EXPECT_EQ(p.spec.priority, 100);
  EXPECT_EQ(p.spec.applied_to.pod_subnet.size(), 2u);

  ExpectRoundTrip<EgressClusterPolicy>(kClusterPolicyInput, &DecodeEgressClusterPolicy,
                                       &EncodeEgressClusterPolicy);
  EgressClusterPolicy c =
      DecodeOk<EgressClusterPolicy>(kClusterPolicyInput, &DecodeEgressClusterPolicy);
  EXPECT_EQ(c.spec.egress_ip.allocator_policy, AllocatorPolicy::kRoundRobin);
}

TEST(EgressPolicy, RegisteredAndNamespaced) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(
      "apiVersion: egret.io/v1\nkind: EgressPolicy\nmetadata: {name: p}\n"
      "spec: {appliedTo: {podSelector: {}}}\n---\n" +
      std::string(kClusterPolicyInput));
  ASSERT_TRUE(objs.ok()) << objs.status().ToString();
  EXPECT_EQ((*objs)[0].Ref(), "EgressPolicy \"default/p\"");
  EXPECT_EQ((*objs)[1].Ref(), "EgressClusterPolicy \"all-teams\"");
  ExpectOnlyError(
      "apiVersion: egret.io/v1\nkind: EgressClusterPolicy\n"
      "metadata: {name: c, namespace: x}\nspec: {appliedTo: {podSelector: {}}}\n",
      "EgressClusterPolicy \"c\": metadata.namespace: ", "cluster-scoped");
}

TEST(EgressPolicy, EgressGatewayNameIsAnObjectName) {
  ExpectOk(Pol("{egressGatewayName: gw-1.a, appliedTo: {podSelector: {}}}"));
  ExpectOnlyError(Pol("{egressGatewayName: Gw_1, appliedTo: {podSelector: {}}}"),
                  "EgressPolicy \"ns/p\": spec.egressGatewayName: ", "is not a valid name");
}

TEST(EgressPolicy, ExplicitEipMustBeOfItsFamily) {
  const std::string kRef = "EgressPolicy \"ns/p\": ";
  ExpectOk(Pol("{egressIP: {ipv6: 'fd00::21'}, appliedTo: {podSelector: {}}}"));
  ExpectOnlyError(Pol("{egressIP: {ipv4: 10.6.1.300}, appliedTo: {podSelector: {}}}"),
                  kRef + "spec.egressIP.ipv4: ", "\"10.6.1.300\" is not an IPv4 address");
  ExpectOnlyError(Pol("{egressIP: {ipv4: 'fd00::1'}, appliedTo: {podSelector: {}}}"),
                  kRef + "spec.egressIP.ipv4: ", "\"fd00::1\" is an IPv6 address, not IPv4");
  ExpectOnlyError(Pol("{egressIP: {ipv6: 10.0.0.1}, appliedTo: {podSelector: {}}}"),
                  kRef + "spec.egressIP.ipv6: ", "\"10.0.0.1\" is an IPv4 address, not IPv6");
}

TEST(EgressPolicy, UseNodeIpExcludesExplicitEip) {
  ExpectOk(Pol("{egressIP: {useNodeIP: true}, appliedTo: {podSelector: {}}}"));
  ExpectOnlyError(
      Pol("{egressIP: {useNodeIP: true, ipv4: 10.0.0.1}, appliedTo: {podSelector: {}}}"),
      "EgressPolicy \"ns/p\": spec.egressIP.useNodeIP: ", "must be false when ipv4 or ipv6 is set");
}

TEST(EgressPolicy, AllocatorPolicy) {
  ExpectOk(Pol("{egressIP: {allocatorPolicy: default}, appliedTo: {podSelector: {}}}"));
  ExpectOk(Pol("{egressIP: {allocatorPolicy: rr}, appliedTo: {podSelector: {}}}"));
  ExpectOnlyError(Pol("{egressIP: {allocatorPolicy: random}, appliedTo: {podSelector: {}}}"),
                  "EgressPolicy \"ns/p\": spec.egressIP.allocatorPolicy: ",
                  "\"random\" is not an allocator policy: use default or rr");
}

TEST(EgressPolicy, AppliedToSelectsSomething) {
  const std::string kRef = "EgressPolicy \"ns/p\": ";
  ExpectOk(Pol("{appliedTo: {podSubnet: [10.244.0.0/16]}}"));
  ExpectOk(Pol("{appliedTo: {podSelector: {matchLabels: {a: b}}}}"));
  ExpectOnlyError(Pol("{priority: 1}"), kRef + "spec.appliedTo: ", "Required value");
  ExpectOnlyError(Pol("{appliedTo: {}}"),
                  kRef + "spec.appliedTo: ", "Required value: set podSelector, podSubnet or both");
  ExpectOnlyError(Pol("{appliedTo: {podSubnet: []}}"), kRef + "spec.appliedTo: ", "Required value");
  ExpectOnlyError(Cpol("{appliedTo: {namespaceSelector: {}}}"),
                  "EgressClusterPolicy \"c\": spec.appliedTo: ", "Required value");
  ExpectOnlyError(Pol("{}"), kRef + "spec.appliedTo: ", "Required value");
}

TEST(EgressPolicy, SubnetsAreCidrs) {
  const std::string kRef = "EgressPolicy \"ns/p\": ";
  ExpectOk(Pol("{appliedTo: {podSubnet: ['fd10::/64']}, destSubnet: [0.0.0.0/0, '::/0']}"));
  ExpectOnlyError(Pol("{appliedTo: {podSubnet: [10.244.0.0/16, 10.245.0.1/16]}}"),
                  kRef + "spec.appliedTo.podSubnet[1]: ",
                  "has host bits set (did you mean \"10.245.0.0/16\"?)");
  ExpectOnlyError(Pol("{appliedTo: {podSelector: {}}, destSubnet: [10.0.0.1]}"),
                  kRef + "spec.destSubnet[0]: ", "\"10.0.0.1\" is not a CIDR");
  ExpectOnlyError(Pol("{appliedTo: {podSelector: {}}, destSubnet: 10.0.0.0/8}"),
                  kRef + "spec.destSubnet: ", "must be a list");
}

TEST(EgressPolicy, NamespaceSelectorOnlyOnClusterPolicy) {
  ExpectOk(Cpol("{appliedTo: {podSubnet: [10.0.0.0/8], namespaceSelector: {}}}"));
  ExpectOnlyError(Pol("{appliedTo: {podSelector: {}, namespaceSelector: {}}}"),
                  "EgressPolicy \"ns/p\": spec.appliedTo.namespaceSelector: ",
                  "unknown field: an EgressPolicy applies to its own namespace only");
}

TEST(EgressPolicy, Priority) {
  ExpectOk(Pol("{appliedTo: {podSelector: {}}, priority: 1000}"));
  ExpectOnlyError(Pol("{appliedTo: {podSelector: {}}, priority: 1001}"),
                  "EgressPolicy \"ns/p\": spec.priority: ", "1001 is out of range 0-1000");
  ExpectOnlyError(Pol("{appliedTo: {podSelector: {}}, priority: high}"),
                  "EgressPolicy \"ns/p\": spec.priority: ", "must be an integer");
}

TEST(EgressPolicy, Status) {
  std::string spec = "{appliedTo: {podSelector: {}}}";
  ExpectOk(Pol(spec, "{eip: {ipv6: 'fd00::1'}, node: n-1}"));
  ExpectOnlyError(Pol(spec, "{eip: {ipv6: 10.0.0.1}}"),
                  "EgressPolicy \"ns/p\": status.eip.ipv6: ", "is an IPv4 address, not IPv6");
  ExpectOnlyError(Pol(spec, "{node: N1}"),
                  "EgressPolicy \"ns/p\": status.node: ", "is not a valid name");
}

}  // namespace
}  // namespace egret::model
