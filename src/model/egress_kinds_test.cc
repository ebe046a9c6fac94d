// EgressGateway, EgressPolicy and EgressClusterPolicy: strict decoding, the single-object
// rules, canonical form and round trips. Cross-object rules are tested in
// src/core/admission/admission_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"
#include "model/kind_codec.h"
#include "model/kinds.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

doc::Value Yaml(std::string_view text) {
  auto docs = doc::ParseYaml(text);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString() << "\n" << text;
  return docs.ok() && !docs->empty() ? docs->front() : doc::Value();
}

// Documents built around a spec (and optional status) written in YAML flow style.
std::string Gw(std::string_view spec, std::string_view status = "") {
  std::string s = "apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata: {name: default}\n";
  s += "spec: " + std::string(spec) + "\n";
  if (!status.empty()) s += "status: " + std::string(status) + "\n";
  return s;
}
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
// A gateway spec with the given ippools.
std::string GwPools(std::string_view pools) {
  return Gw("{nodeSelector: {selector: {}}, ippools: " + std::string(pools) + "}");
}

StatusOr<doc::Value> Canon(const std::string& text) {
  doc::Value v = Yaml(text);
  const doc::Value* kind = v.Find("kind");
  if (kind && kind->as_string() == "EgressGateway") return CanonicalizeEgressGateway(v);
  if (kind && kind->as_string() == "EgressPolicy") return CanonicalizeEgressPolicy(v);
  return CanonicalizeEgressClusterPolicy(v);
}

// The message must be exactly one line that starts with `prefix` (object, field path) and
// contains `reason`.
void ExpectOnlyError(const std::string& text, std::string_view prefix, std::string_view reason) {
  StatusOr<doc::Value> r = Canon(text);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  const std::string& m = r.status().message();
  EXPECT_EQ(m.find('\n'), std::string::npos) << "more than one error:\n" << m;
  EXPECT_TRUE(StartsWith(m, prefix)) << m;
  EXPECT_NE(m.find(reason), std::string::npos) << m;
}

void ExpectOk(const std::string& text) {
  StatusOr<doc::Value> r = Canon(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << text;
}

// ---- EgressGateway --------------------------------------------------------------------------

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
  StatusOr<EgressGateway> a =
      DecodeTyped(Yaml(kGatewayInput), "EgressGateway", &DecodeEgressGateway);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  doc::Value once = EncodeEgressGateway(*a);
  StatusOr<EgressGateway> b = DecodeTyped(once, "EgressGateway", &DecodeEgressGateway);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->spec, b->spec);
  EXPECT_EQ(a->status, b->status);
  EXPECT_EQ(a->metadata.name, b->metadata.name);
  EXPECT_EQ(doc::ToYaml(EncodeEgressGateway(*b)), doc::ToYaml(once));
  EXPECT_EQ(b->spec.ippools.ipv4_default_eip->ToString(), "10.6.1.22");
  EXPECT_TRUE(b->spec.cluster_default);
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

// ---- EgressPolicy / EgressClusterPolicy ------------------------------------------------------

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
  StatusOr<EgressPolicy> a = DecodeTyped(Yaml(kPolicyInput), "EgressPolicy", &DecodeEgressPolicy);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  doc::Value once = EncodeEgressPolicy(*a);
  StatusOr<EgressPolicy> b = DecodeTyped(once, "EgressPolicy", &DecodeEgressPolicy);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->spec, b->spec);
  EXPECT_EQ(a->status, b->status);
  EXPECT_EQ(doc::ToYaml(EncodeEgressPolicy(*b)), doc::ToYaml(once));
  EXPECT_EQ(b->spec.priority, 100);
  EXPECT_EQ(b->spec.applied_to.pod_subnet.size(), 2u);

  StatusOr<EgressClusterPolicy> c =
      DecodeTyped(Yaml(kClusterPolicyInput), "EgressClusterPolicy", &DecodeEgressClusterPolicy);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  doc::Value c_once = EncodeEgressClusterPolicy(*c);
  StatusOr<EgressClusterPolicy> d =
      DecodeTyped(c_once, "EgressClusterPolicy", &DecodeEgressClusterPolicy);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(c->spec, d->spec);
  EXPECT_EQ(doc::ToYaml(EncodeEgressClusterPolicy(*d)), doc::ToYaml(c_once));
  EXPECT_EQ(d->spec.egress_ip.allocator_policy, AllocatorPolicy::kRoundRobin);
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
