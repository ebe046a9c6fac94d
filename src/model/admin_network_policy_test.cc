// AdminNetworkPolicy and BaselineAdminNetworkPolicy: every validation rule with a valid and an
// invalid case (exact field path, key part of the reason), the status conditions, the upstream
// examples and round trips.
#include "model/admin_network_policy.h"

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
  return DecodeAdminNetworkPolicy(Yaml(AnpDoc(spec, status)), errs);
}

std::string BanpDoc(std::string_view spec, std::string_view name = "default") {
  return "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\n"
         "metadata: {name: " +
         std::string(name) + "}\nspec: " + std::string(spec) + "\n";
}

struct BadCase {
  std::string spec;
  std::string path;
  std::string reason;
};

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
  AdminNetworkPolicy anp = DecodeAdminNetworkPolicy(Yaml(kAnpExample), &errs);
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
      Yaml("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
           "metadata: {name: a}\n"),
      &errs);
  EXPECT_TRUE(OnlyError(errs, "spec", "Required value"));
  StatusOr<doc::Value> v = CanonicalizeAdminNetworkPolicy(
      Yaml("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
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
  EXPECT_EQ(anp.conditions[0].status, ConditionStatus::kFalse);
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
      {"{conditions: [{type: Ready, status: 'True', " + kT +
           ", reason: R, message: '', lastHeartbeatTime: '2024-05-01T12:00:00Z'}]}",
       "status.conditions[0].lastHeartbeatTime", "unknown field"},
  };
  for (const BadCase& c : kBad) {
    FieldErrors errs;
    DecodeAnp(kSpec, &errs, c.spec);
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
  }
}

TEST(AdminNetworkPolicy, RoundTrip) {
  doc::Value encoded = ExpectRoundTrip<AdminNetworkPolicy>(kAnpExample, &DecodeAdminNetworkPolicy,
                                                           &EncodeAdminNetworkPolicy);
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

TEST(BaselineAdminNetworkPolicy, ExampleAndRoundTrip) {
  BaselineAdminNetworkPolicy banp =
      DecodeOk<BaselineAdminNetworkPolicy>(kBanpExample, &DecodeBaselineAdminNetworkPolicy);
  EXPECT_EQ(std::get<PodsPeer>(banp.spec.subject).pod_selector.match_labels.at("app"), "web");
  EXPECT_EQ(banp.spec.ingress.at(0).action, AdminPolicyAction::kDeny);
  EXPECT_EQ(banp.spec.egress.at(0).ports.at(0),
            AdminPort(AdminPortRange{Protocol::kUDP, 1000, 2000}));
  doc::Value encoded = ExpectRoundTrip<BaselineAdminNetworkPolicy>(
      kBanpExample, &DecodeBaselineAdminNetworkPolicy, &EncodeBaselineAdminNetworkPolicy);

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
    DecodeBaselineAdminNetworkPolicy(Yaml(BanpDoc(c.spec, c.name)), &errs);
    if (c.path.empty()) {
      EXPECT_TRUE(errs.empty()) << c.spec << "\n" << Describe(errs);
    } else {
      EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.spec;
    }
  }
}

}  // namespace
}  // namespace egret::model
