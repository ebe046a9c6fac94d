// NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy: every validation rule with a
// valid and an invalid case (exact field path, key part of the reason), the upstream defaults,
// the upstream documentation's examples, and round trips.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "doc/yaml.h"
#include "model/admin_network_policy.h"
#include "model/core_fields.h"
#include "model/kinds.h"
#include "model/kinds_all.h"
#include "model/network_policy.h"

namespace egret::model {
namespace {

doc::Value Parse(std::string_view yaml) {
  StatusOr<std::vector<doc::Value>> docs = doc::ParseYaml(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString() << "\n" << yaml;
  if (!docs.ok() || docs->empty()) return doc::Value();
  return (*docs)[0];
}

std::string Describe(const FieldErrors& errs) {
  std::string out;
  for (const FieldError& e : errs.errors()) out += "  " + e.path + ": " + e.reason + "\n";
  return out.empty() ? "  (no errors)\n" : out;
}

// Exactly one error, at `path`, whose reason contains `reason`.
testing::AssertionResult OnlyError(const FieldErrors& errs, std::string_view path,
                                   std::string_view reason) {
  if (errs.errors().size() == 1 && errs.errors()[0].path == path &&
      errs.errors()[0].reason.find(reason) != std::string::npos) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "want only `" << path << ": ..." << reason << "...`, got:\n"
                                     << Describe(errs);
}

std::string NpDoc(std::string_view spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
         "metadata: {name: p, namespace: ns}\nspec: " +
         std::string(spec) + "\n";
}

NetworkPolicy DecodeNp(std::string_view spec, FieldErrors* errs) {
  return DecodeNetworkPolicy(Parse(NpDoc(spec)), errs);
}

std::string AnpDoc(std::string_view spec, std::string_view status = "") {
  std::string out =
      "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
      "metadata: {name: a}\nspec: " +
      std::string(spec) + "\n";
  if (!status.empty()) out += "status: " + std::string(status) + "\n";
  return out;
}

// An AdminNetworkPolicy spec with one ingress or egress rule.
std::string AnpIngress(std::string_view rule) {
  return "{priority: 5, subject: {namespaces: {}}, ingress: [" + std::string(rule) + "]}";
}
std::string AnpEgress(std::string_view rule) {
  return "{priority: 5, subject: {namespaces: {}}, egress: [" + std::string(rule) + "]}";
}

AdminNetworkPolicy DecodeAnp(std::string_view spec, FieldErrors* errs,
                             std::string_view status = "") {
  return DecodeAdminNetworkPolicy(Parse(AnpDoc(spec, status)), errs);
}

std::string BanpDoc(std::string_view spec, std::string_view name = "default") {
  return "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\n"
         "metadata: {name: " +
         std::string(name) + "}\nspec: " + std::string(spec) + "\n";
}

// "[{...}, {...}, ...]" with n copies of item.
std::string Repeat(std::string_view item, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(item);
  return out + "]";
}

struct BadCase {
  std::string spec;
  std::string path;
  std::string reason;
};

// ---------------------------------------------------------------------------------------------
// NetworkPolicy

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
       "out of range 1-65535"},
      {"{ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: a, operator: Is, values: "
       "[x]}]}}]}]}",
       "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator",
       "not a valid operator"},
      {"{ingress: [{form: []}]}", "spec.ingress[0].form", "unknown field"},
      {"{}\nstatus: {conditions: []}", "status.conditions", "unknown field"},
  };
  for (const BadCase& c : kBad) {
    FieldErrors errs;
    DecodeNp(c.spec, &errs);
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
  }
}

TEST(NetworkPolicy, ErrorMessageNamesObjectAndField) {
  StatusOr<doc::Value> v =
      CanonicalizeNetworkPolicy(Parse(NpDoc("{ingress: [{ports: [{port: 0}]}]}")));
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
      Parse("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n"), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_EQ(np.metadata.namespace_, "default");
  EXPECT_TRUE(np.spec.pod_selector.empty());
  EXPECT_TRUE(np.spec.Isolates(PolicyType::kIngress));
  EXPECT_FALSE(np.spec.Isolates(PolicyType::kEgress));
}

TEST(NetworkPolicy, CanonicalFormWritesDefaultsAndDropsEmptyLists) {
  StatusOr<doc::Value> v = CanonicalizeNetworkPolicy(
      Parse(NpDoc("{ingress: [{from: [], ports: [{port: 53}, {protocol: UDP, port: dns}]}, {}], "
                  "egress: []}")));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(doc::ToYaml(*v), doc::ToYaml(Parse(R"(apiVersion: networking.k8s.io/v1
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

bool SameNp(const NetworkPolicy& a, const NetworkPolicy& b) {
  return SameMeta(a.metadata, b.metadata) && a.spec == b.spec;
}

TEST(NetworkPolicy, RoundTrip) {
  doc::Value in = Parse(NpDoc(
      "{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{ipBlock: {cidr: "
      "'2001:DB8::/32', except: ['2001:db8:0:1::/64']}}, {namespaceSelector: {}, podSelector: "
      "{matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}}], ports: [{port: 443}, "
      "{protocol: SCTP, port: 1000, endPort: 2000}]}, {}], egress: [{to: [{namespaceSelector: "
      "{matchLabels: {kubernetes.io/metadata.name: kube-system}}}], ports: [{protocol: UDP, port: "
      "53}]}]}"));
  FieldErrors errs;
  NetworkPolicy first = DecodeNetworkPolicy(in, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  doc::Value encoded = EncodeNetworkPolicy(first);
  NetworkPolicy second = DecodeNetworkPolicy(encoded, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_TRUE(SameNp(first, second));
  EXPECT_EQ(doc::ToYaml(EncodeNetworkPolicy(second)), doc::ToYaml(encoded));
  EXPECT_EQ(second.spec.policy_types,
            (std::vector<PolicyType>{PolicyType::kIngress, PolicyType::kEgress}));
  // IPv6 is written in canonical form.
  EXPECT_NE(doc::ToYaml(encoded).find("2001:db8::/32"), std::string::npos);
}

TEST(NetworkPolicy, RegisteredInTheKindRegistry) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\n"
      "spec: {podSelector: {}}\n",
      "team-a");
  ASSERT_TRUE(objs.ok()) << objs.status().ToString();
  EXPECT_EQ(objs->at(0).Ref(), "NetworkPolicy \"team-a/deny\"");
}

// ---------------------------------------------------------------------------------------------
// AdminNetworkPolicy

constexpr std::string_view kAnpExample = R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: cluster-control
spec:
  priority: 34
  subject:
    namespaces: {}
  ingress:
  - name: allow-from-monitoring
    action: Allow
    from:
    - namespaces:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - portNumber: {protocol: TCP, port: 9090}
    - namedPort: metrics
  - name: pass-from-tenants
    action: Pass
    from:
    - pods:
        namespaceSelector: {matchLabels: {tenant: a}}
        podSelector: {}
  - action: Deny
    from:
    - namespaces: {}
  egress:
  - name: allow-dns
    action: Allow
    to:
    - pods:
        namespaceSelector:
          matchLabels: {kubernetes.io/metadata.name: kube-system}
        podSelector:
          matchLabels: {k8s-app: kube-dns}
    ports:
    - portNumber: {port: 53, protocol: UDP}
    - portRange: {start: 30000, end: 32767}
  - name: deny-nodes-and-metadata
    action: Deny
    to:
    - nodes:
        matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]
    - networks: [169.254.169.254/32, 'fd00:ec2::254/128']
status:
  conditions:
  - type: Ready
    status: "True"
    observedGeneration: 3
    lastTransitionTime: "2024-05-01T12:00:00Z"
    reason: SetupSucceeded
    message: ""
)";

TEST(AdminNetworkPolicy, ExampleDecodesToTypedValues) {
  FieldErrors errs;
  AdminNetworkPolicy anp = DecodeAdminNetworkPolicy(Parse(kAnpExample), &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_EQ(anp.spec.priority, 34);
  EXPECT_TRUE(std::holds_alternative<NamespacesPeer>(anp.spec.subject));
  ASSERT_EQ(anp.spec.ingress.size(), 3u);
  EXPECT_EQ(anp.spec.ingress[0].name, "allow-from-monitoring");
  EXPECT_EQ(anp.spec.ingress[0].ports.at(0), AdminPort(AdminPortNumber{Protocol::kTCP, 9090}));
  EXPECT_EQ(anp.spec.ingress[0].ports.at(1), AdminPort(AdminNamedPort{"metrics"}));
  EXPECT_EQ(anp.spec.ingress[1].action, AdminPolicyAction::kPass);
  EXPECT_EQ(anp.spec.ingress[2].name, "");
  const AdminEgressRule& dns = anp.spec.egress.at(0);
  EXPECT_EQ(std::get<PodsPeer>(dns.peers.at(0)).pod_selector.match_labels.at("k8s-app"),
            "kube-dns");
  EXPECT_EQ(dns.ports.at(0), AdminPort(AdminPortNumber{Protocol::kUDP, 53}));
  // portRange's protocol defaults to TCP.
  EXPECT_EQ(dns.ports.at(1), AdminPort(AdminPortRange{Protocol::kTCP, 30000, 32767}));
  const AdminEgressRule& deny = anp.spec.egress.at(1);
  EXPECT_TRUE(std::holds_alternative<NodesPeer>(deny.peers.at(0)));
  EXPECT_EQ(std::get<NetworksPeer>(deny.peers.at(1)).networks.at(1).ToString(),
            "fd00:ec2::254/128");
  ASSERT_EQ(anp.conditions.size(), 1u);
  EXPECT_EQ(anp.conditions[0].observed_generation, 3);
}

TEST(AdminNetworkPolicy, ValidVariantsDecodeWithoutErrors) {
  const std::vector<std::string> kValid = {
      "{priority: 0, subject: {pods: {namespaceSelector: {}, podSelector: {}}}}",
      "{priority: 1000, subject: {namespaces: {matchLabels: {a: b}}}}",
      AnpIngress("{name: " + std::string(100, 'n') +
                 ", action: Deny, from: " + Repeat("{namespaces: {}}", 100) +
                 ", ports: " + Repeat("{portNumber: {port: 1}}", 100) + "}"),
      AnpEgress("{action: Pass, to: [{networks: " + Repeat("10.0.0.0/8", 1) + "}]}"),
      AnpEgress("{action: Allow, to: [{nodes: {}}], ports: [{portRange: {protocol: SCTP, start: "
                "1, end: 65535}}]}"),
      "{priority: 1, subject: {namespaces: {}}, ingress: " +
          Repeat("{action: Allow, from: [{namespaces: {}}]}", 100) + "}",
  };
  for (const std::string& spec : kValid) {
    FieldErrors errs;
    DecodeAnp(spec, &errs);
    EXPECT_TRUE(errs.empty()) << spec.substr(0, 200) << "\n" << Describe(errs);
  }
  std::string networks = "[";
  for (int i = 0; i < 25; ++i) networks += (i ? ", 10.0." : "10.0.") + std::to_string(i) + ".0/24";
  FieldErrors errs;
  DecodeAnp(AnpEgress("{action: Deny, to: [{networks: " + networks + "]}]}"), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
}

TEST(AdminNetworkPolicy, EachRuleReportsItsFieldPath) {
  std::string networks26 = "[";
  for (int i = 0; i < 26; ++i)
    networks26 += (i ? ", 10.0." : "10.0.") + std::to_string(i) + ".0/24";
  networks26 += "]";
  const std::string kFrom = "from: [{namespaces: {}}]";
  const std::vector<BadCase> kBad = {
      {"{subject: {namespaces: {}}}", "spec.priority", "Required value"},
      {"{priority: 1001, subject: {namespaces: {}}}", "spec.priority", "out of range 0-1000"},
      {"{priority: -1, subject: {namespaces: {}}}", "spec.priority", "out of range 0-1000"},
      {"{priority: 1}", "spec.subject", "Required value"},
      {"{priority: 1, subject: {}}", "spec.subject", "must set one of namespaces or pods"},
      {"{priority: 1, subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}}",
       "spec.subject", "sets namespaces and pods: set exactly one"},
      {"{priority: 1, subject: {pods: {namespaceSelector: {}}}}", "spec.subject.pods.podSelector",
       "Required value"},
      {"{priority: 1, subject: {pods: {podSelector: {}}}}", "spec.subject.pods.namespaceSelector",
       "Required value"},
      {"{priority: 1, subject: {namespaces: {}}, ingress: " +
           Repeat("{action: Allow, " + kFrom + "}", 101) + "}",
       "spec.ingress", "has 101 rules: at most 100"},
      {"{priority: 1, subject: {namespaces: {}}, egress: " +
           Repeat("{action: Allow, to: [{nodes: {}}]}", 101) + "}",
       "spec.egress", "has 101 rules"},
      {AnpIngress("{" + kFrom + "}"), "spec.ingress[0].action", "Required value"},
      {AnpIngress("{action: Reject, " + kFrom + "}"), "spec.ingress[0].action",
       "\"Reject\" is not a valid action: use Allow, Deny or Pass"},
      {AnpIngress("{name: " + std::string(101, 'n') + ", action: Allow, " + kFrom + "}"),
       "spec.ingress[0].name", "is 101 characters long: at most 100"},
      {AnpIngress("{action: Allow}"), "spec.ingress[0].from", "Required value"},
      {AnpIngress("{action: Allow, from: []}"), "spec.ingress[0].from",
       "must list at least one peer"},
      {AnpIngress("{action: Allow, from: " + Repeat("{namespaces: {}}", 101) + "}"),
       "spec.ingress[0].from", "has 101 entries: at most 100"},
      {AnpIngress("{action: Allow, from: [{namespaces: {}}, {}]}"), "spec.ingress[0].from[1]",
       "must set one of namespaces or pods"},
      {AnpIngress("{action: Allow, from: [{namespaces: {}, pods: {namespaceSelector: {}, "
                  "podSelector: {}}}]}"),
       "spec.ingress[0].from[0]", "sets namespaces and pods"},
      {AnpIngress("{action: Allow, from: [{namespaces: {}, nodes: {}}]}"),
       "spec.ingress[0].from[0].nodes", "unknown field"},
      {AnpEgress("{action: Allow, to: [{}]}"), "spec.egress[0].to[0]",
       "must set one of namespaces, pods, nodes or networks"},
      {AnpEgress("{action: Allow, to: [{nodes: {}, networks: [10.0.0.0/8]}]}"),
       "spec.egress[0].to[0]", "sets nodes and networks: set exactly one"},
      {AnpEgress("{action: Allow, to: [{networks: []}]}"), "spec.egress[0].to[0].networks",
       "must list at least one CIDR"},
      {AnpEgress("{action: Allow, to: [{networks: " + networks26 + "}]}"),
       "spec.egress[0].to[0].networks", "has 26 entries: at most 25"},
      {AnpEgress("{action: Allow, to: [{nodes: {}}, {networks: [10.0.0.0/8, 10.0.0.0/33]}]}"),
       "spec.egress[0].to[1].networks[1]", "is not a CIDR"},
      {AnpEgress("{action: Allow, to: [{networks: [10.0.0.0/8, 10.0.0.0/8]}]}"),
       "spec.egress[0].to[0].networks[1]", "Duplicate value"},
      {AnpEgress("{action: Allow, to: [{networks: [7, 10.0.0.0/8]}]}"),
       "spec.egress[0].to[0].networks[0]", "must be a string"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: []}"), "spec.ingress[0].ports",
       "must list at least one port: omit ports"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: " + Repeat("{namedPort: http}", 101) +
                  "}"),
       "spec.ingress[0].ports", "has 101 entries"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: [{}]}"), "spec.ingress[0].ports[0]",
       "must set one of portNumber, namedPort or portRange"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: [{namedPort: a, portNumber: {port: 1}}]}"),
       "spec.ingress[0].ports[0]", "sets portNumber and namedPort"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: [{portNumber: {protocol: UDP}}]}"),
       "spec.ingress[0].ports[0].portNumber.port", "Required value"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: [{portNumber: {port: 0}}]}"),
       "spec.ingress[0].ports[0].portNumber.port", "0 is not a port number"},
      {AnpIngress("{action: Allow, " + kFrom +
                  ", ports: [{portNumber: {protocol: ICMP, port: "
                  "1}}]}"),
       "spec.ingress[0].ports[0].portNumber.protocol", "not a valid protocol"},
      {AnpIngress("{action: Allow, " + kFrom + ", ports: [{namedPort: Web_UI}]}"),
       "spec.ingress[0].ports[0].namedPort", "not a valid port name"},
      {AnpEgress("{action: Allow, to: [{nodes: {}}], ports: [{portRange: {start: 80, end: 80}}]}"),
       "spec.egress[0].ports[0].portRange.end", "80 is not greater than start 80"},
      {AnpEgress("{action: Allow, to: [{nodes: {}}], ports: [{portRange: {start: 80}}]}"),
       "spec.egress[0].ports[0].portRange.end", "Required value"},
      {AnpEgress("{action: Allow, to: [{nodes: {}}], ports: [{portRange: {start: 0, end: 9}}]}"),
       "spec.egress[0].ports[0].portRange.start", "not a port number"},
  };
  for (const BadCase& c : kBad) {
    FieldErrors errs;
    DecodeAnp(c.spec, &errs);
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec.substr(0, 300);
  }
}

TEST(AdminNetworkPolicy, EnvelopeRules) {
  FieldErrors errs;
  DecodeAdminNetworkPolicy(
      Parse("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
            "metadata: {name: a}\n"),
      &errs);
  EXPECT_TRUE(OnlyError(errs, "spec", "Required value"));
  StatusOr<doc::Value> v = CanonicalizeAdminNetworkPolicy(
      Parse("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
            "metadata: {name: a, namespace: x}\nspec: {priority: 1, subject: {namespaces: {}}}\n"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(),
            "AdminNetworkPolicy \"a\": metadata.namespace: not allowed: this kind is "
            "cluster-scoped");
}

TEST(AdminNetworkPolicy, StatusConditions) {
  const std::string kSpec = "{priority: 1, subject: {namespaces: {}}}";
  const std::string kOk =
      "type: example.com/Ready, status: 'False', lastTransitionTime: '2024-05-01T12:00:00.5+02:00'"
      ", reason: 'Setup:Failed_1', message: 'node a: no nftables'";
  FieldErrors ok_errs;
  AdminNetworkPolicy anp = DecodeAnp(kSpec, &ok_errs, "{conditions: [{" + kOk + "}]}");
  EXPECT_TRUE(ok_errs.empty()) << Describe(ok_errs);
  ASSERT_EQ(anp.conditions.size(), 1u);
  EXPECT_EQ(anp.conditions[0].status, "False");
  EXPECT_EQ(anp.conditions[0].message, "node a: no nftables");

  const std::string kT = "lastTransitionTime: '2024-05-01T12:00:00Z'";
  const std::vector<BadCase> kBad = {
      {"{conditions: [{status: 'True', " + kT + ", reason: R, message: ''}]}",
       "status.conditions[0].type", "Required value"},
      {"{conditions: [{type: -Ready, status: 'True', " + kT + ", reason: R, message: ''}]}",
       "status.conditions[0].type", "is not a condition type"},
      {"{conditions: [{type: Ready, status: Maybe, " + kT + ", reason: R, message: ''}]}",
       "status.conditions[0].status", "use True, False or Unknown"},
      {"{conditions: [{type: Ready, " + kT + ", reason: R, message: ''}]}",
       "status.conditions[0].status", "Required value"},
      {"{conditions: [{type: Ready, status: 'True', reason: R, message: ''}]}",
       "status.conditions[0].lastTransitionTime", "Required value"},
      {"{conditions: [{type: Ready, status: 'True', lastTransitionTime: yesterday, reason: R, "
       "message: ''}]}",
       "status.conditions[0].lastTransitionTime", "RFC 3339"},
      {"{conditions: [{type: Ready, status: 'True', " + kT + ", message: ''}]}",
       "status.conditions[0].reason", "Required value"},
      {"{conditions: [{type: Ready, status: 'True', " + kT +
           ", reason: 'Bad reason', message: "
           "''}]}",
       "status.conditions[0].reason", "is not a condition reason"},
      {"{conditions: [{type: Ready, status: 'True', " + kT + ", reason: R}]}",
       "status.conditions[0].message", "Required value"},
      {"{conditions: [{type: Ready, status: 'True', " + kT +
           ", reason: R, message: ''}, "
           "{type: Ready, status: 'False', " +
           kT + ", reason: R, message: ''}]}",
       "status.conditions[1].type", "Duplicate value: \"Ready\""},
      {"{conditions: [{type: Ready, status: 'True', " + kT +
           ", reason: R, message: '', "
           "observedGeneration: -1}]}",
       "status.conditions[0].observedGeneration", "out of range"},
  };
  for (const BadCase& c : kBad) {
    FieldErrors errs;
    DecodeAnp(kSpec, &errs, c.spec);
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
  }
}

bool SameAnp(const AdminNetworkPolicy& a, const AdminNetworkPolicy& b) {
  return SameMeta(a.metadata, b.metadata) && a.spec == b.spec && a.conditions == b.conditions;
}

TEST(AdminNetworkPolicy, RoundTrip) {
  FieldErrors errs;
  AdminNetworkPolicy first = DecodeAdminNetworkPolicy(Parse(kAnpExample), &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  doc::Value encoded = EncodeAdminNetworkPolicy(first);
  AdminNetworkPolicy second = DecodeAdminNetworkPolicy(encoded, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_TRUE(SameAnp(first, second));
  EXPECT_EQ(doc::ToYaml(EncodeAdminNetworkPolicy(second)), doc::ToYaml(encoded));
  // Defaults are written out: the portRange protocol.
  EXPECT_NE(doc::ToYaml(encoded).find("portRange:\n        protocol: TCP"), std::string::npos)
      << doc::ToYaml(encoded);

  StatusOr<std::vector<Object>> objs = DecodeObjects(kAnpExample);
  ASSERT_TRUE(objs.ok()) << objs.status().ToString();
  EXPECT_EQ(objs->at(0).Ref(), "AdminNetworkPolicy \"cluster-control\"");
  EXPECT_EQ(objs->at(0).doc, encoded);
}

// ---------------------------------------------------------------------------------------------
// BaselineAdminNetworkPolicy

constexpr std::string_view kBanpExample = R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    pods:
      namespaceSelector: {}
      podSelector: {matchLabels: {app: web}}
  ingress:
  - name: default-deny
    action: Deny
    from:
    - namespaces: {}
  egress:
  - action: Allow
    to:
    - networks: [0.0.0.0/0, '::/0']
    ports:
    - portRange: {protocol: UDP, start: 1000, end: 2000}
)";

bool SameBanp(const BaselineAdminNetworkPolicy& a, const BaselineAdminNetworkPolicy& b) {
  return SameMeta(a.metadata, b.metadata) && a.spec == b.spec && a.conditions == b.conditions;
}

TEST(BaselineAdminNetworkPolicy, ExampleAndRoundTrip) {
  FieldErrors errs;
  BaselineAdminNetworkPolicy first = DecodeBaselineAdminNetworkPolicy(Parse(kBanpExample), &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_EQ(std::get<PodsPeer>(first.spec.subject).pod_selector.match_labels.at("app"), "web");
  EXPECT_EQ(first.spec.ingress.at(0).action, AdminPolicyAction::kDeny);
  EXPECT_EQ(first.spec.egress.at(0).ports.at(0),
            AdminPort(AdminPortRange{Protocol::kUDP, 1000, 2000}));
  doc::Value encoded = EncodeBaselineAdminNetworkPolicy(first);
  BaselineAdminNetworkPolicy second = DecodeBaselineAdminNetworkPolicy(encoded, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_TRUE(SameBanp(first, second));
  EXPECT_EQ(doc::ToYaml(EncodeBaselineAdminNetworkPolicy(second)), doc::ToYaml(encoded));

  StatusOr<std::vector<Object>> objs = DecodeObjects(kBanpExample);
  ASSERT_TRUE(objs.ok()) << objs.status().ToString();
  EXPECT_EQ(objs->at(0).doc, encoded);
}

TEST(BaselineAdminNetworkPolicy, Rules) {
  const std::string kFrom = "from: [{namespaces: {}}]";
  struct Case {
    std::string name;
    std::string spec;
    std::string path;  // empty: valid
    std::string reason;
  };
  const std::vector<Case> kCases = {
      {"default", "{subject: {namespaces: {}}, ingress: [{action: Allow, " + kFrom + "}]}", "", ""},
      {"other", "{subject: {namespaces: {}}}", "metadata.name", "must be named \"default\""},
      {"default", "{subject: {namespaces: {}}, ingress: [{action: Pass, " + kFrom + "}]}",
       "spec.ingress[0].action", "\"Pass\" is not a valid action: use Allow or Deny"},
      {"default", "{subject: {namespaces: {}}, egress: [{action: Pass, to: [{nodes: {}}]}]}",
       "spec.egress[0].action", "use Allow or Deny"},
      {"default", "{priority: 3, subject: {namespaces: {}}}", "spec.priority", "unknown field"},
      {"default", "{}", "spec.subject", "Required value"},
      {"default", "{subject: {namespaces: {}}, egress: [{action: Deny, to: [{networks: [x]}]}]}",
       "spec.egress[0].to[0].networks[0]", "is not a CIDR"},
  };
  for (const Case& c : kCases) {
    FieldErrors errs;
    DecodeBaselineAdminNetworkPolicy(Parse(BanpDoc(c.spec, c.name)), &errs);
    if (c.path.empty()) {
      EXPECT_TRUE(errs.empty()) << c.spec << "\n" << Describe(errs);
    } else {
      EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
    }
  }
}

}  // namespace
}  // namespace egret::model
