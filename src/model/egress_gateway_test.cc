// EgressGateway: strict decoding, the single-object rules, canonical form, pool arithmetic and
// the round trip. Cross-object rules are tested in src/core/admission/admission_test.cc.
#include "model/egress_gateway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/kinds.h"
#include "model/kinds_all.h"
#include "model/model_test_util.h"

namespace egret::model {
namespace {

// Documents built around a spec (and optional status) written in YAML flow style.
std::string Gw(std::string_view spec, std::string_view status = "") {
  std::string s = "apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata: {name: default}\n";
  s += "spec: " + std::string(spec) + "\n";
  if (!status.empty()) s += "status: " + std::string(status) + "\n";
  return s;
}
// A gateway spec with the given ippools.
std::string GwPools(std::string_view pools) {
  return Gw("{nodeSelector: {selector: {}}, ippools: " + std::string(pools) + "}");
}

StatusOr<doc::Value> Canon(const std::string& text) {
  return CanonicalizeEgressGateway(Yaml(text));
}

constexpr std::string_view kGatewayInput = R"(
apiVersion: egret.io/v1
kind: EgressGateway
metadata:
  name: default
spec:
  nodeSelector:
    selector:
      matchLabels: {egress: "true"}
  ippools:
    ipv4: [10.6.1.21, 10.6.1.22-10.6.1.23, 10.6.1.24/30]
    ipv6: ["fd00:0:0::21", "fd00::22-fd00::0027"]
    ipv4DefaultEIP: 10.6.1.22
    ipv6DefaultEIP: "fd00::22"
  clusterDefault: true
status:
  nodeList:
  - name: node1
    ready: true
    eips:
    - {ipv4: 10.6.1.21, ipv6: "fd00::21", policies: [{name: app, namespace: default}, {name: all}]}
  ipUsage: {ipv4Total: 7, ipv4Free: 6, ipv6Total: 7, ipv6Free: 6}
)";

constexpr std::string_view kGatewayCanonical = R"(apiVersion: egret.io/v1
kind: EgressGateway
metadata:
  name: default
spec:
  nodeSelector:
    selector:
      matchLabels:
        egress: "true"
  ippools:
    ipv4:
    - 10.6.1.21
    - 10.6.1.22-10.6.1.23
    - 10.6.1.24/30
    ipv6:
    - fd00::21
    - fd00::22-fd00::27
    ipv4DefaultEIP: 10.6.1.22
    ipv6DefaultEIP: fd00::22
  clusterDefault: true
status:
  nodeList:
  - name: node1
    ready: true
    eips:
    - ipv4: 10.6.1.21
      ipv6: fd00::21
      policies:
      - name: app
        namespace: default
      - name: all
  ipUsage:
    ipv4Total: 7
    ipv4Free: 6
    ipv6Total: 7
    ipv6Free: 6
)";

TEST(EgressGateway, CanonicalFormOfFullExample) {
  StatusOr<doc::Value> c = CanonicalizeEgressGateway(Yaml(kGatewayInput));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(doc::ToYaml(*c), kGatewayCanonical);
}

TEST(EgressGateway, RoundTrip) {
  ExpectRoundTrip<EgressGateway>(kGatewayInput, &DecodeEgressGateway, &EncodeEgressGateway);
  EgressGateway gw = DecodeOk<EgressGateway>(kGatewayInput, &DecodeEgressGateway);
  EXPECT_EQ(gw.spec.ippools.ipv4_default_eip->ToString(), "10.6.1.22");
  EXPECT_TRUE(gw.spec.cluster_default);
}

TEST(EgressGateway, MinimalGatewayGetsDefaultsAndNoDefaultEip) {
  StatusOr<doc::Value> c = Canon(GwPools("{ipv4: [10.6.1.21]}"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(doc::ToYaml(*c),
            "apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata:\n  name: default\nspec:\n"
            "  nodeSelector:\n    selector: {}\n  ippools:\n    ipv4:\n    - 10.6.1.21\n"
            "  clusterDefault: false\n");
  ExpectOk(Gw("{nodeSelector: {selector: {}}}"));  // no pools: serves useNodeIP policies only
}

TEST(EgressGateway, RegisteredInKindTable) {
  StatusOr<Object> obj = DecodeObject(Yaml(kGatewayInput));
  ASSERT_TRUE(obj.ok()) << obj.status().ToString();
  EXPECT_EQ(obj->Ref(), "EgressGateway \"default\"");
  EXPECT_EQ(FindKind("egw")->kind, "EgressGateway");
}

TEST(EgressGateway, NodeSelectorRequired) {
  ExpectOk(Gw("{nodeSelector: {selector: {matchExpressions: [{key: egress, operator: Exists}]}}}"));
  ExpectOnlyError(Gw("{ippools: {ipv4: [10.6.1.21]}}"),
                  "EgressGateway \"default\": spec.nodeSelector: ", "Required value");
  ExpectOnlyError(Gw("{nodeSelector: {}}"),
                  "EgressGateway \"default\": spec.nodeSelector.selector: ", "Required value");
  ExpectOnlyError("apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata: {name: default}\n",
                  "EgressGateway \"default\": spec: ", "Required value");
  ExpectOnlyError(Gw("{nodeSelector: {selector: {}, policy: avg}}"),
                  "EgressGateway \"default\": spec.nodeSelector.policy: ", "unknown field");
}

TEST(EgressGateway, ClusterScoped) {
  ExpectOnlyError(
      "apiVersion: egret.io/v1\nkind: EgressGateway\n"
      "metadata: {name: default, namespace: x}\nspec: {nodeSelector: {selector: {}}}\n",
      "EgressGateway \"default\": metadata.namespace: ", "cluster-scoped");
}

TEST(EgressGateway, ClusterDefaultIsBoolean) {
  ExpectOk(Gw("{nodeSelector: {selector: {}}, clusterDefault: false}"));
  ExpectOnlyError(Gw("{nodeSelector: {selector: {}}, clusterDefault: 'yes'}"),
                  "EgressGateway \"default\": spec.clusterDefault: ", "must be a boolean");
}

TEST(EgressGateway, PoolEntryForms) {
  // Single address, range and CIDR keep their form; IPv6 text becomes canonical.
  StatusOr<doc::Value> v4 = Canon(GwPools("{ipv4: [10.6.1.21, 10.6.1.30-10.6.1.30, 10.6.2.0/24]}"));
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(doc::ToYaml(*v4->Find("spec")->Find("ippools")),
            "ipv4:\n- 10.6.1.21\n- 10.6.1.30\n- 10.6.2.0/24\n");
  StatusOr<doc::Value> v6 =
      Canon(GwPools("{ipv6: ['fd00::0:1', 'fd00::2-fd00::3', 'fd00:0:0:1::/64']}"));
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(doc::ToYaml(*v6->Find("spec")->Find("ippools")),
            "ipv6:\n- fd00::1\n- fd00::2-fd00::3\n- fd00:0:0:1::/64\n");
}

TEST(EgressGateway, PoolEntryMustParseInItsFamily) {
  const std::string kRef = "EgressGateway \"default\": ";
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.21, 10.6.1.22, 10.6.1.300]}"),
                  kRef + "spec.ippools.ipv4[2]: ", "\"10.6.1.300\" is not an IPv4 address");
  EXPECT_EQ(Canon(GwPools("{ipv4: [10.6.1.21, 10.6.1.22, 10.6.1.300]}")).status().message(),
            kRef + "spec.ippools.ipv4[2]: \"10.6.1.300\" is not an IPv4 address");
  ExpectOnlyError(GwPools("{ipv6: ['fd00::1', 'fd00::g']}"),
                  kRef + "spec.ippools.ipv6[1]: ", "\"fd00::g\" is not an IPv6 address");
  ExpectOnlyError(GwPools("{ipv4: ['fd00::1']}"), kRef + "spec.ippools.ipv4[0]: ",
                  "\"fd00::1\" is an IPv6 address: list it in spec.ippools.ipv6");
  ExpectOnlyError(GwPools("{ipv6: [10.0.0.0/24]}"), kRef + "spec.ippools.ipv6[0]: ",
                  "\"10.0.0.0/24\" is an IPv4 CIDR: list it in spec.ippools.ipv4");
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.9-10.6.1.1]}"),
                  kRef + "spec.ippools.ipv4[0]: ", "the end is before the start");
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.1/24]}"), kRef + "spec.ippools.ipv4[0]: ",
                  "has host bits set (did you mean \"10.6.1.0/24\"?)");
  ExpectOnlyError(GwPools("{ipv4: [7]}"), kRef + "spec.ippools.ipv4[0]: ", "must be a string");
  ExpectOnlyError(GwPools("{ipv4: 10.6.1.1}"), kRef + "spec.ippools.ipv4: ", "must be a list");
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.1], extra: 1}"),
                  kRef + "spec.ippools.extra: ", "unknown field");
}

TEST(EgressGateway, PoolEntriesMustNotOverlap) {
  ExpectOk(GwPools("{ipv4: [10.6.1.20-10.6.1.30, 10.6.1.31, 10.6.1.32/27]}"));
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.20-10.6.1.30, 10.6.1.40, 10.6.1.25]}"),
                  "EgressGateway \"default\": spec.ippools.ipv4[2]: ",
                  "\"10.6.1.25\" overlaps spec.ippools.ipv4[0] (\"10.6.1.20-10.6.1.30\")");
  ExpectOnlyError(GwPools("{ipv6: ['fd00::/120', 'fd00::ff']}"),
                  "EgressGateway \"default\": spec.ippools.ipv6[1]: ",
                  "overlaps spec.ippools.ipv6[0] (\"fd00::/120\")");
}

TEST(EgressGateway, DefaultEipMustBeInItsPool) {
  const std::string kRef = "EgressGateway \"default\": ";
  ExpectOk(GwPools("{ipv4: [10.6.1.20-10.6.1.30], ipv4DefaultEIP: 10.6.1.30}"));
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.20-10.6.1.30], ipv4DefaultEIP: 10.6.1.31}"),
                  kRef + "spec.ippools.ipv4DefaultEIP: ",
                  "\"10.6.1.31\" is not in spec.ippools.ipv4: the default EIP must be one of");
  ExpectOnlyError(
      GwPools("{ipv4: [10.6.1.20], ipv6DefaultEIP: 'fd00::1'}"),
      kRef + "spec.ippools.ipv6DefaultEIP: ", "is not in spec.ippools.ipv6 (which is empty)");
  ExpectOnlyError(
      GwPools("{ipv4: [10.6.1.20], ipv4DefaultEIP: 'fd00::1'}"),
      kRef + "spec.ippools.ipv4DefaultEIP: ", "\"fd00::1\" is an IPv6 address, not IPv4");
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.20], ipv4DefaultEIP: 10.6.1}"),
                  kRef + "spec.ippools.ipv4DefaultEIP: ", "\"10.6.1\" is not an IPv4 address");
  // A bad pool entry is reported alone, not again through the default EIP.
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.300], ipv4DefaultEIP: 10.6.1.20}"),
                  kRef + "spec.ippools.ipv4[0]: ", "is not an IPv4 address");
}

TEST(EgressGateway, DualStackPoolsPairUp) {
  ExpectOk(GwPools("{ipv4: [10.6.1.1-10.6.1.4], ipv6: ['fd00::1', 'fd00::10/127', 'fd00::20']}"));
  ExpectOk(GwPools("{ipv4: [10.6.1.1-10.6.1.4], ipv6: []}"));  // single stack: any size
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.1-10.6.1.4], ipv6: ['fd00::1-fd00::3']}"),
                  "EgressGateway \"default\": spec.ippools.ipv6: ",
                  "holds 3 addresses but spec.ippools.ipv4 holds 4 addresses: in dual stack "
                  "EIPs pair up by index");
  ExpectOnlyError(GwPools("{ipv4: [10.6.1.1], ipv6: ['fd00::/64']}"),
                  "EgressGateway \"default\": spec.ippools.ipv6: ",
                  "holds 2^64 or more addresses but spec.ippools.ipv4 holds 1 address:");
}

TEST(EgressGateway, DualStackDefaultEipsArePartners) {
  const std::string pools = "ipv4: [10.6.1.1-10.6.1.2, 10.6.1.10/31], ipv6: ['fd00::1-fd00::4']";
  // 10.6.1.11 is the 4th IPv4 address; its partner is the 4th IPv6 address, fd00::4.
  ExpectOk(GwPools("{" + pools + ", ipv4DefaultEIP: 10.6.1.11, ipv6DefaultEIP: 'fd00::4'}"));
  ExpectOk(GwPools("{" + pools + ", ipv4DefaultEIP: 10.6.1.11}"));  // partner picked later
  ExpectOnlyError(GwPools("{" + pools + ", ipv4DefaultEIP: 10.6.1.11, ipv6DefaultEIP: 'fd00::2'}"),
                  "EgressGateway \"default\": spec.ippools.ipv6DefaultEIP: ",
                  "\"fd00::2\" is not the partner of ipv4DefaultEIP \"10.6.1.11\": EIPs pair up "
                  "by index, so use \"fd00::4\"");
}

TEST(EgressGateway, Status) {
  std::string spec = "{nodeSelector: {selector: {}}}";
  ExpectOk(Gw(spec, "{nodeList: [{name: n1, eips: [{ipv4: 10.0.0.1}]}]}"));
  ExpectOnlyError(Gw(spec, "{nodeList: [{name: n1, eips: [{ipv4: 'fd00::1'}]}]}"),
                  "EgressGateway \"default\": status.nodeList[0].eips[0].ipv4: ",
                  "is an IPv6 address, not IPv4");
  ExpectOnlyError(Gw(spec, "{nodeList: [{ready: true}]}"),
                  "EgressGateway \"default\": status.nodeList[0].name: ", "Required value");
  ExpectOnlyError(
      Gw(spec, "{nodeList: [{name: n1, eips: [{policies: [{namespace: a}]}]}]}"),
      "EgressGateway \"default\": status.nodeList[0].eips[0].policies[0].name: ", "Required value");
  ExpectOnlyError(Gw(spec, "{ipUsage: {ipv4Total: -1}}"),
                  "EgressGateway \"default\": status.ipUsage.ipv4Total: ", "out of range");
}

TEST(EgressPools, Arithmetic) {
  std::vector<IpPoolEntry> pool;
  for (std::string_view t : {"10.0.0.1-10.0.0.3", "10.0.1.0/30", "10.0.2.9"}) {
    std::string why;
    pool.push_back(*IpPoolEntry::Parse(t, &why));
  }
  EXPECT_EQ(PoolSize(pool), 8u);
  EXPECT_EQ(PoolIndexOf(pool, *IpAddress::Parse("10.0.0.1")), 0u);
  EXPECT_EQ(PoolIndexOf(pool, *IpAddress::Parse("10.0.1.2")), 5u);
  EXPECT_EQ(PoolIndexOf(pool, *IpAddress::Parse("10.0.2.9")), 7u);
  EXPECT_FALSE(PoolIndexOf(pool, *IpAddress::Parse("10.0.2.8")));
  EXPECT_EQ(PoolAddressAt(pool, 5)->ToString(), "10.0.1.2");
  EXPECT_FALSE(PoolAddressAt(pool, 8));
  EXPECT_TRUE(PoolContains(pool, *IpAddress::Parse("10.0.1.3")));
  EXPECT_FALSE(PoolContains(pool, *IpAddress::Parse("fd00::1")));
}

}  // namespace
}  // namespace egret::model
