// NetworkPolicy: every validation rule with a valid and an invalid case (exact field path, key
// part of the reason), the upstream defaults, the upstream documentation's examples and the
// round trip.
#include "model/network_policy.h"

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

std::string NpDoc(std::string_view spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
         "metadata: {name: p, namespace: ns}\nspec: " +
         std::string(spec) + "\n";
}

NetworkPolicy DecodeNp(std::string_view spec, FieldErrors* errs) {
  return DecodeNetworkPolicy(Yaml(NpDoc(spec)), errs);
}

struct BadCase {
  std::string spec;
  std::string path;
  std::string reason;
};

TEST(NetworkPolicy, ValidSpecsDecodeWithoutErrors) {
  const char* kValid[] = {
      "{}",  // absent podSelector means {}, as upstream
      "{podSelector: {}, policyTypes: [Egress]}",
      "{podSelector: {}, policyTypes: [Ingress, Egress]}",
      "{podSelector: {}, ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]}",
      "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: "
      "[10.1.0.0/16]}}]}]}",
      "{podSelector: {}, egress: [{to: [{ipBlock: {cidr: '2001:db8::/32', except: "
      "['2001:db8:1::/48']}}]}]}",
      "{podSelector: {}, ingress: [{ports: [{protocol: SCTP, port: 1}, {protocol: UDP, port: "
      "65535}]}]}",
      "{podSelector: {}, ingress: [{ports: [{port: http}, {port: dns-tcp}, {port: a1}]}]}",
      "{podSelector: {}, ingress: [{ports: [{port: 80, endPort: 80}, {port: 80, endPort: 90}]}]}",
      "{podSelector: {}, ingress: [{ports: [{protocol: UDP}]}]}",
      "{podSelector: {matchExpressions: [{key: app, operator: In, values: [a]}]}}",
      "{podSelector: {}}\nstatus: {}",
      "{podSelector: {}}\nstatus: {conditions: []}",
  };
  for (const char* spec : kValid) {
    FieldErrors errs;
    DecodeNp(spec, &errs);
    EXPECT_TRUE(errs.empty()) << spec << "\n" << Describe(errs);
  }
}

TEST(NetworkPolicy, EachRuleReportsItsFieldPath) {
  const std::vector<BadCase> kBad = {
      {"{policyTypes: [Ingress, Foo]}", "spec.policyTypes[1]", "\"Foo\" is not a policy type"},
      {"{policyTypes: [Egress, Egress]}", "spec.policyTypes[1]", "Duplicate value: \"Egress\""},
      {"{policyTypes: [1]}", "spec.policyTypes[0]", "must be a string"},
      {"{ingress: [{from: [{podSelector: {}}, {}]}]}", "spec.ingress[0].from[1]",
       "must specify a peer"},
      {"{ingress: [{from: [null]}]}", "spec.ingress[0].from[0]", "must specify a peer"},
      {"{ingress: [{from: [x]}]}", "spec.ingress[0].from[0]", "must be an object"},
      {"{ingress: [{from: [{podSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]}]}",
       "spec.ingress[0].from[0]", "may not combine ipBlock"},
      {"{ingress: [{from: [{namespaceSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]}]}",
       "spec.ingress[0].from[0]", "may not combine ipBlock"},
      {"{egress: [{to: [{ipBlock: {}}]}]}", "spec.egress[0].to[0].ipBlock.cidr", "Required value"},
      {"{egress: [{to: [{ipBlock: {cidr: 10.0.0.0}}]}]}", "spec.egress[0].to[0].ipBlock.cidr",
       "is not a CIDR"},
      {"{egress: [{to: [{ipBlock: {cidr: 10.0.0.1/8}}]}]}", "spec.egress[0].to[0].ipBlock.cidr",
       "has host bits set"},
      {"{ingress: [{from: [{podSelector: {}}, {ipBlock: {cidr: 10.0.0.0/16, except: "
       "[10.1.0.0/24]}}]}]}",
       "spec.ingress[0].from[1].ipBlock.except[0]", "strict subset of cidr \"10.0.0.0/16\""},
      {"{ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24, 10.0.0.0/16]}}]}]}",
       "spec.ingress[0].from[0].ipBlock.except[1]", "strict subset"},
      {"{ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: ['fd00::/64']}}]}]}",
       "spec.ingress[0].from[0].ipBlock.except[0]", "is IPv6 but cidr \"10.0.0.0/8\" is IPv4"},
      {"{ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [7, 10.1.0.0/16]}}]}]}",
       "spec.ingress[0].from[0].ipBlock.except[0]", "must be a string"},
      {"{ingress: [{ports: [{protocol: ICMP}]}]}", "spec.ingress[0].ports[0].protocol",
       "\"ICMP\" is not a valid protocol: use TCP, UDP or SCTP"},
      {"{ingress: [{ports: [{protocol: tcp}]}]}", "spec.ingress[0].ports[0].protocol",
       "not a valid protocol"},
      {"{ingress: [{ports: [{port: 0}]}]}", "spec.ingress[0].ports[0].port",
       "0 is not a port number: use 1-65535"},
      {"{egress: [{ports: [{port: 80}, {port: 65536}]}]}", "spec.egress[0].ports[1].port",
       "65536 is not a port number"},
      {"{ingress: [{ports: [{port: HTTP}]}]}", "spec.ingress[0].ports[0].port",
       "not a valid port name"},
      {"{ingress: [{ports: [{port: my--port}]}]}", "spec.ingress[0].ports[0].port",
       "not a valid port name"},
      {"{ingress: [{ports: [{port: -http}]}]}", "spec.ingress[0].ports[0].port",
       "not a valid port name"},
      {"{ingress: [{ports: [{port: a-very-long-name}]}]}", "spec.ingress[0].ports[0].port",
       "at most 15"},
      {"{ingress: [{ports: [{port: '8080'}]}]}", "spec.ingress[0].ports[0].port",
       "a port number is written without quotes"},
      {"{ingress: [{ports: [{port: 1.5}]}]}", "spec.ingress[0].ports[0].port",
       "must be an integer or a string"},
      {"{ingress: [{ports: [{endPort: 90}]}]}", "spec.ingress[0].ports[0].endPort",
       "may not be set without port"},
      {"{ingress: [{ports: [{port: http, endPort: 90}]}]}", "spec.ingress[0].ports[0].endPort",
       "may not be set when port is a name"},
      {"{ingress: [{ports: [{port: 90, endPort: 80}]}]}", "spec.ingress[0].ports[0].endPort",
       "80 is less than port 90"},
      {"{ingress: [{ports: [{port: 90, endPort: 65536}]}]}", "spec.ingress[0].ports[0].endPort",
       "65536 is not a port number: use 1-65535"},
      {"{ingress: [{ports: [{port: 90, endPort: 0}]}]}", "spec.ingress[0].ports[0].endPort",
       "0 is not a port number: use 1-65535"},
      {"{ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: a, operator: Is, values: "
       "[x]}]}}]}]}",
       "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator",
       "not a valid operator"},
      {"{ingress: [{form: []}]}", "spec.ingress[0].form", "unknown field"},
      {"{}\nstatus: {phase: Ready}", "status.phase", "unknown field"},
      {"{}\nstatus: {conditions: [{type: Ready, status: 'True', reason: Realized, message: ''}]}",
       "status.conditions[0].lastTransitionTime", "Required value"},
      {"{}\nstatus: {conditions: [{type: Ready, status: 'True', lastTransitionTime: "
       "'2024-05-01T12:00:00Z', reason: 'not realized', message: ''}]}",
       "status.conditions[0].reason", "is not a condition reason"},
  };
  for (const BadCase& c : kBad) {
    FieldErrors errs;
    DecodeNp(c.spec, &errs);
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
  }
}

TEST(NetworkPolicy, ErrorMessageNamesObjectAndField) {
  StatusOr<doc::Value> v =
      CanonicalizeNetworkPolicy(Yaml(NpDoc("{ingress: [{ports: [{port: 0}]}]}")));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(),
            "NetworkPolicy \"ns/p\": spec.ingress[0].ports[0].port: 0 is not a port number: use "
            "1-65535");
}

TEST(NetworkPolicy, PolicyTypesDefaultAsUpstream) {
  struct Case {
    const char* spec;
    std::vector<PolicyType> want;
  };
  const Case kCases[] = {
      {"{podSelector: {}}", {PolicyType::kIngress}},
      {"{policyTypes: []}", {PolicyType::kIngress}},
      {"{egress: [{}]}", {PolicyType::kIngress, PolicyType::kEgress}},
      // Upstream defaults on the number of egress rules, so an empty list isolates nothing.
      {"{egress: []}", {PolicyType::kIngress}},
      {"{policyTypes: [Egress]}", {PolicyType::kEgress}},
      {"{policyTypes: [Egress, Ingress], ingress: [{}]}",
       {PolicyType::kEgress, PolicyType::kIngress}},
  };
  for (const Case& c : kCases) {
    FieldErrors errs;
    NetworkPolicy np = DecodeNp(c.spec, &errs);
    EXPECT_TRUE(errs.empty()) << Describe(errs);
    EXPECT_EQ(np.spec.policy_types, c.want) << c.spec;
  }
  // An absent spec is the zero spec: every pod of the namespace isolated for ingress.
  FieldErrors errs;
  NetworkPolicy np = DecodeNetworkPolicy(
      Yaml("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n"), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_EQ(np.metadata.namespace_, "default");
  EXPECT_TRUE(np.spec.pod_selector.empty());
  EXPECT_TRUE(np.spec.Isolates(PolicyType::kIngress));
  EXPECT_FALSE(np.spec.Isolates(PolicyType::kEgress));
}

TEST(NetworkPolicy, CanonicalFormWritesDefaultsAndDropsEmptyLists) {
  StatusOr<doc::Value> v = CanonicalizeNetworkPolicy(
      Yaml(NpDoc("{ingress: [{from: [], ports: [{port: 53}, {protocol: UDP, port: dns}]}, {}], "
                 "egress: []}")));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(doc::ToYaml(*v), doc::ToYaml(Yaml(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  namespace: ns
spec:
  podSelector: {}
  ingress:
  - ports:
    - protocol: TCP
      port: 53
    - protocol: UDP
      port: dns
  - {}
  policyTypes:
  - Ingress
)")));
}

// The examples of the upstream NetworkPolicy documentation.
TEST(NetworkPolicy, DenyAllAndAllowAllExamples) {
  FieldErrors errs;
  NetworkPolicy deny = DecodeNp("{podSelector: {}, policyTypes: [Ingress]}", &errs);
  EXPECT_TRUE(deny.spec.Isolates(PolicyType::kIngress));
  EXPECT_TRUE(deny.spec.ingress.empty());
  // `ingress: []` is the same as no ingress rules: nothing is allowed.
  NetworkPolicy deny2 = DecodeNp("{podSelector: {}, ingress: []}", &errs);
  EXPECT_EQ(deny2.spec, deny.spec);

  NetworkPolicy allow = DecodeNp("{podSelector: {}, ingress: [{}]}", &errs);
  ASSERT_EQ(allow.spec.ingress.size(), 1u);
  EXPECT_TRUE(allow.spec.ingress[0].peers.empty());  // every source
  EXPECT_TRUE(allow.spec.ingress[0].ports.empty());  // every port
  // `from: []` and `ports: []` mean the same as absent upstream.
  NetworkPolicy allow2 = DecodeNp("{podSelector: {}, ingress: [{from: [], ports: []}]}", &errs);
  EXPECT_EQ(allow2.spec, allow.spec);

  NetworkPolicy deny_egress = DecodeNp("{podSelector: {}, policyTypes: [Egress]}", &errs);
  EXPECT_FALSE(deny_egress.spec.Isolates(PolicyType::kIngress));
  EXPECT_TRUE(deny_egress.spec.Isolates(PolicyType::kEgress));
  EXPECT_TRUE(errs.empty()) << Describe(errs);
}

TEST(NetworkPolicy, NamespaceAndPodSelectorsAndVersusOr) {
  FieldErrors errs;
  // One peer with both selectors: pods labelled role=client in namespaces labelled user=alice.
  NetworkPolicy and_peer = DecodeNp(
      "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}, "
      "podSelector: {matchLabels: {role: client}}}]}]}",
      &errs);
  ASSERT_EQ(and_peer.spec.ingress.at(0).peers.size(), 1u);
  const auto& both = std::get<SelectorPeer>(and_peer.spec.ingress[0].peers[0]);
  ASSERT_TRUE(both.namespace_selector && both.pod_selector);
  EXPECT_EQ(both.namespace_selector->match_labels.at("user"), "alice");
  EXPECT_EQ(both.pod_selector->match_labels.at("role"), "client");

  // Two peers: every pod of alice's namespaces, or role=client pods of the policy's namespace.
  NetworkPolicy or_peers = DecodeNp(
      "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}}, "
      "{podSelector: {matchLabels: {role: client}}}]}]}",
      &errs);
  ASSERT_EQ(or_peers.spec.ingress.at(0).peers.size(), 2u);
  const auto& ns_only = std::get<SelectorPeer>(or_peers.spec.ingress[0].peers[0]);
  EXPECT_TRUE(ns_only.namespace_selector.has_value());
  EXPECT_FALSE(ns_only.pod_selector.has_value());  // absent: every pod of those namespaces
  const auto& pod_only = std::get<SelectorPeer>(or_peers.spec.ingress[0].peers[1]);
  EXPECT_FALSE(pod_only.namespace_selector.has_value());  // absent: the policy's namespace
  EXPECT_TRUE(pod_only.pod_selector.has_value());
  EXPECT_TRUE(errs.empty()) << Describe(errs);
}

TEST(NetworkPolicy, IpBlockEndPortAndNamedPortExamples) {
  FieldErrors errs;
  NetworkPolicy np = DecodeNp(
      "{podSelector: {matchLabels: {role: db}}, policyTypes: [Ingress, Egress], "
      "ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}, "
      "{namespaceSelector: {matchLabels: {project: myproject}}}, "
      "{podSelector: {matchLabels: {role: frontend}}}], ports: [{protocol: TCP, port: 6379}]}], "
      "egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24}}], "
      "ports: [{protocol: TCP, port: 32000, endPort: 32768}, {port: metrics}]}]}",
      &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  const auto& block = std::get<IpBlock>(np.spec.ingress.at(0).peers.at(0));
  EXPECT_EQ(block.cidr.ToString(), "172.17.0.0/16");
  ASSERT_EQ(block.except.size(), 1u);
  EXPECT_EQ(block.except[0].ToString(), "172.17.1.0/24");
  EXPECT_EQ(np.spec.ingress[0].ports.at(0), (NetworkPolicyPort{Protocol::kTCP, 6379, {}, {}}));
  const NetworkPolicyRule& egress = np.spec.egress.at(0);
  EXPECT_EQ(egress.ports.at(0), (NetworkPolicyPort{Protocol::kTCP, 32000, {}, 32768}));
  EXPECT_EQ(egress.ports.at(1), (NetworkPolicyPort{Protocol::kTCP, {}, "metrics", {}}));
}

TEST(NetworkPolicy, RoundTrip) {
  doc::Value encoded = ExpectRoundTrip<NetworkPolicy>(
      NpDoc("{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{ipBlock: {cidr: "
            "'2001:DB8::/32', except: ['2001:db8:0:1::/64']}}, {namespaceSelector: {}, "
            "podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}}], "
            "ports: [{port: 443}, {protocol: SCTP, port: 1000, endPort: 2000}]}, {}], egress: "
            "[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
            "kube-system}}}], ports: [{protocol: UDP, port: 53}]}]}"),
      &DecodeNetworkPolicy, &EncodeNetworkPolicy);
  std::string yaml = doc::ToYaml(encoded);
  EXPECT_NE(yaml.find("policyTypes:\n  - Ingress\n  - Egress\n"), std::string::npos) << yaml;
  // IPv6 is written in canonical form.
  EXPECT_NE(yaml.find("2001:db8::/32"), std::string::npos);
}

TEST(NetworkPolicy, StatusConditionsDecodeAndRoundTrip) {
  const std::string kStatus =
      "status:\n  conditions:\n  - type: Ready\n    status: 'False'\n"
      "    observedGeneration: 2\n    lastTransitionTime: '2024-05-01T12:00:00Z'\n"
      "    reason: Pending\n    message: realized on 1 of 3 nodes\n";
  FieldErrors errs;
  NetworkPolicy np = DecodeNetworkPolicy(Yaml(NpDoc("{podSelector: {}}") + kStatus), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  ASSERT_EQ(np.conditions.size(), 1u);
  EXPECT_EQ(np.conditions[0], (Condition{.type = "Ready",
                                         .status = ConditionStatus::kFalse,
                                         .reason = "Pending",
                                         .message = "realized on 1 of 3 nodes",
                                         .last_transition_time = "2024-05-01T12:00:00Z",
                                         .observed_generation = 2}));
  doc::Value encoded = ExpectRoundTrip<NetworkPolicy>(NpDoc("{podSelector: {}}") + kStatus,
                                                      &DecodeNetworkPolicy, &EncodeNetworkPolicy);
  std::string yaml = doc::ToYaml(encoded);
  EXPECT_NE(yaml.find("status:\n  conditions:\n  - type: Ready\n"), std::string::npos) << yaml;
  // Without conditions the canonical form has no status at all.
  FieldErrors empty_errs;
  NetworkPolicy bare =
      DecodeNetworkPolicy(Yaml(NpDoc("{podSelector: {}}") + "status: {}\n"), &empty_errs);
  EXPECT_EQ(EncodeNetworkPolicy(bare).Find("status"), nullptr);
}

TEST(NetworkPolicy, RegisteredInTheKindRegistry) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\n"
      "spec: {podSelector: {}}\n",
      "team-a");
  ASSERT_TRUE(objs.ok()) << objs.status().ToString();
  EXPECT_EQ(objs->at(0).Ref(), "NetworkPolicy \"team-a/deny\"");
}

}  // namespace
}  // namespace egret::model
