// Edge cases of the reference semantics (evaluate.h) beyond the truth tables.
#include "core/netpol/evaluate.h"

#include <gtest/gtest.h>

#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"

namespace egret::core::netpol::testing {
namespace {

using model::Protocol;

Connection Tcp(std::string_view from, std::string_view to, uint16_t port = 80) {
  return Connection{Ip(from), Ip(to), Protocol::kTCP, port};
}

PolicyCluster Small() {
  PolicyCluster c;
  c.namespaces.push_back(MakeNamespace("x", {{"ns", "x"}}));
  c.pods.push_back(MakePod("x", "server", "n1", {Ip("10.0.0.1"), Ip("fd00::1")},
                           {{"app", "server"}}, {Port("http", 8080, Protocol::kTCP)}));
  c.pods.push_back(
      MakePod("x", "client", "n2", {Ip("10.0.0.2"), Ip("fd00::2")}, {{"app", "client"}}));
  return c;
}

TEST(EvaluateTest, NoPolicyAllowsAndNamesNoTier) {
  Verdict v = Allowed(Small(), Tcp("10.0.0.2", "10.0.0.1"));
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.ingress.tier, Tier::kNone);
  EXPECT_EQ(v.egress.tier, Tier::kNone);
}

TEST(EvaluateTest, DualStackPodIsMatchedByEitherAddress) {
  PolicyCluster c = Small();
  AddPolicies(&c, Np("x", "from-client",
                     "{podSelector: {matchLabels: {app: server}}, ingress: "
                     "[{from: [{podSelector: {matchLabels: {app: client}}}]}]}"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);
  EXPECT_TRUE(Allowed(c, Tcp("fd00::2", "fd00::1")).allowed);
  Verdict v = Allowed(c, Tcp("10.9.9.9", "10.0.0.1"));  // not a pod
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.ingress.tier, Tier::kNetworkPolicy);
  EXPECT_EQ(v.ingress.reason, "NetworkPolicy x/from-client: no rule allows");
}

TEST(EvaluateTest, PodWithoutAddressesMatchesNoConnection) {
  PolicyCluster c = Small();
  c.pods.push_back(MakePod("x", "pending", "n1", {}, {{"app", "client"}}));
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {matchLabels: {app: server}}, ingress: "
                     "[{from: [{podSelector: {matchLabels: {app: client}}}]}]}"));
  // Only the client with addresses is a peer; unknown addresses stay external.
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.3", "10.0.0.1")).allowed);
  EXPECT_EQ(PodAt(c, Ip("10.0.0.3")), nullptr);
}

TEST(EvaluateTest, NamedPortResolvesOnTheDestinationPod) {
  PolicyCluster c = Small();
  AddPolicies(&c, Np("x", "egress-http",
                     "{podSelector: {matchLabels: {app: client}}, "
                     "policyTypes: [Egress], egress: [{ports: [{port: http}]}]}"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1", 8080)).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1", 80)).allowed);
  // The client itself has no port "http", and an external host has no named ports at all.
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.2", 8080)).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "192.0.2.1", 8080)).allowed);
}

TEST(EvaluateTest, NamedPortAbsentOnDestinationMatchesNothing) {
  PolicyCluster c = Small();
  AddPolicies(&c, Np("x", "p", "{podSelector: {}, ingress: [{ports: [{port: metrics}]}]}"));
  for (uint16_t port : {80, 8080, 9090}) {
    EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1", port)).allowed) << port;
  }
}

TEST(EvaluateTest, ExceptLargerThanBlockMatchesNothing) {
  // The decoder rejects this; built directly it is read literally: nothing is left.
  PolicyCluster c = Small();
  model::NetworkPolicy np;
  np.metadata = {.name = "p", .namespace_ = "x"};
  np.spec.policy_types = {model::PolicyType::kIngress};
  np.spec.ingress.push_back({{model::IpBlock{Net("10.0.0.0/24"), {Net("10.0.0.0/16")}}}, {}});
  c.network_policies.push_back(np);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.9", "10.0.0.1")).allowed);
}

TEST(EvaluateTest, IpBlockAllowsExternalEgress) {
  PolicyCluster c = Small();
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: "
                     "{cidr: 192.0.2.0/24, except: [192.0.2.128/25]}}]}]}"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "192.0.2.5")).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "192.0.2.200")).allowed);
  // Traffic from outside to a pod isolated only for egress is not restricted.
  EXPECT_TRUE(Allowed(c, Tcp("192.0.2.200", "10.0.0.2")).allowed);
}

TEST(EvaluateTest, HostNetworkAndFinishedPodsDoNotTakePart) {
  PolicyCluster c = Small();
  model::Pod host = MakePod("x", "host", "n1", {Ip("10.0.0.7")}, {{"app", "client"}});
  host.spec.host_network = true;
  model::Pod done = MakePod("x", "done", "n1", {Ip("10.0.0.8")}, {{"app", "client"}});
  done.status.phase = model::PodPhase::kSucceeded;
  model::Pod reuse = MakePod("x", "reuse", "n1", {Ip("10.0.0.8")}, {{"app", "other"}});
  c.pods.insert(c.pods.end(), {host, done, reuse});
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, ingress: "
                     "[{from: [{podSelector: {matchLabels: {app: client}}}]}]}"));
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.7", "10.0.0.1")).allowed);  // a node address
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.8", "10.0.0.1")).allowed);  // now "reuse"
  ASSERT_NE(PodAt(c, Ip("10.0.0.8")), nullptr);
  EXPECT_EQ(PodAt(c, Ip("10.0.0.8"))->metadata.name, "reuse");
  // The host-network pod is not isolated by the policy selecting every pod of x.
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.1", "10.0.0.7")).allowed);
}

TEST(EvaluateTest, NamespaceWithoutObjectHasNoLabels) {
  PolicyCluster c = Small();
  c.pods.push_back(MakePod("ghost", "g", "n1", {Ip("10.0.0.9")}));
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
                     "{matchExpressions: [{key: ns, operator: DoesNotExist}]}}]}]}"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.9", "10.0.0.1")).allowed);
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);  // x has ns=x
}

TEST(EvaluateTest, PolicyOfAnotherNamespaceDoesNotSelect) {
  PolicyCluster c = Small();
  AddPolicies(&c, Np("y", "deny", "{podSelector: {}}"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);
}

TEST(EvaluateTest, AdminVerdictNamesTheRule) {
  PolicyCluster c = Small();
  AddPolicies(&c, Anp("deny-client", 3,
                      "subject: {namespaces: {}}, ingress: [{action: Allow, "
                      "from: [{namespaces: {matchLabels: {ns: y}}}]}, {action: "
                      "Deny, from: [{namespaces: {}}]}]"));
  Verdict v = Allowed(c, Tcp("10.0.0.2", "10.0.0.1"));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.ingress.tier, Tier::kAdmin);
  EXPECT_EQ(v.ingress.reason, "AdminNetworkPolicy deny-client ingress[1] (Deny)");
  EXPECT_TRUE(v.egress.allowed);
}

TEST(EvaluateTest, AdminPassSkipsLowerPriorityAdminPolicies) {
  PolicyCluster c = Small();
  AddPolicies(&c, Anp("pass", 1,
                      "subject: {namespaces: {}}, ingress: [{action: Pass, from: "
                      "[{namespaces: {}}]}]") +
                      Anp("deny", 2,
                          "subject: {namespaces: {}}, ingress: [{action: Deny, from: "
                          "[{namespaces: {}}]}]"));
  EXPECT_TRUE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1")).allowed);
}

TEST(EvaluateTest, AdminNamedPortUsesTheContainerPortProtocol) {
  PolicyCluster c = Small();
  AddPolicies(&c, Anp("http", 1,
                      "subject: {namespaces: {}}, ingress: [{action: Deny, from: "
                      "[{namespaces: {}}], ports: [{namedPort: http}]}]"));
  EXPECT_FALSE(Allowed(c, Tcp("10.0.0.2", "10.0.0.1", 8080)).allowed);
  EXPECT_TRUE(Allowed(c, Connection{Ip("10.0.0.2"), Ip("10.0.0.1"), Protocol::kUDP, 8080}).allowed);
}

TEST(EvaluateTest, AdminPrecedenceOrdersByPriorityThenName) {
  std::vector<model::AdminNetworkPolicy> anps(3);
  anps[0].metadata.name = "b";
  anps[0].spec.priority = 5;
  anps[1].metadata.name = "a";
  anps[1].spec.priority = 5;
  anps[2].metadata.name = "z";
  anps[2].spec.priority = 0;
  EXPECT_EQ(AdminPrecedence(anps), (std::vector<size_t>{2, 1, 0}));
}

}  // namespace
}  // namespace egret::core::netpol::testing
