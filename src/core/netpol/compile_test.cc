// Unit tests of the compiled form on the core alone (compile.h, set_catalog.h, interpret.h).
#include "core/netpol/compile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/netpol/interpret.h"
#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"
#include "core/netpol/set_catalog.h"

namespace egret::core::netpol::testing {
namespace {

using model::Protocol;

const PodProgram* Program(const NodePolicyState& s, std::string_view ns, std::string_view name) {
  for (const PodProgram& p : s.pods) {
    if (p.namespace_ == ns && p.name == name) return &p;
  }
  return nullptr;
}

NodePolicyState Compile(const PolicyCluster& c, std::string_view node) {
  return PolicyCompiler(c).CompileNode(node);
}

TEST(CompileTest, OnlySelectedPodsOfTheNode) {
  PolicyCluster c = ConformanceCluster();
  AddPolicies(&c, Np("x", "p", "{podSelector: {matchLabels: {pod: a}}}"));
  NodePolicyState n1 = Compile(c, "n1");  // x/a, y/a, z/a
  ASSERT_EQ(n1.pods.size(), 1u);
  EXPECT_EQ(n1.pods[0].name, "a");
  EXPECT_EQ(n1.pods[0].addresses.size(), 2u);
  EXPECT_TRUE(Compile(c, "n2").pods.empty());
  EXPECT_TRUE(Compile(c, "nowhere").pods.empty());
}

TEST(CompileTest, TierDefaults) {
  PolicyCluster c = ConformanceCluster();
  AddPolicies(&c, Np("x", "deny-in", "{podSelector: {}}"));
  NodePolicyState state = Compile(c, "n1");
  const PodProgram* p = Program(state, "x", "a");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ingress.admin.otherwise, Action::kNextTier);
  EXPECT_EQ(p->ingress.network_policy.otherwise, Action::kDrop);
  EXPECT_TRUE(p->ingress.network_policy.rules.empty());
  EXPECT_EQ(p->ingress.baseline.otherwise, Action::kAccept);
  EXPECT_EQ(p->egress.network_policy.otherwise, Action::kNextTier);  // not isolated
  EXPECT_TRUE(p->egress.AcceptsAll());
  EXPECT_FALSE(p->ingress.AcceptsAll());
}

TEST(CompileTest, PodWithoutAddressesGetsItsProgramAndAddsNoMember) {
  PolicyCluster c = ConformanceCluster();
  c.pods.push_back(MakePod("x", "new", "n1", {}, {{"pod", "b"}}, ServePorts()));
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, ingress: [{from: [{podSelector: "
                     "{matchLabels: {pod: b}}}]}]}"));
  NodePolicyState s = Compile(c, "n1");
  const PodProgram* p = Program(s, "x", "new");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->addresses.empty());
  EXPECT_EQ(p->ingress.network_policy.otherwise, Action::kDrop);  // isolated from the start
  ASSERT_EQ(s.address_sets.size(), 1u);
  EXPECT_EQ(s.address_sets[0].members,
            (std::vector<model::IpAddress>{Ip(ModelV4(1)), Ip(ModelV6(1))}));  // only x/b
}

TEST(CompileTest, SetsAreSharedAndNamedByDefinition) {
  PolicyCluster c = ConformanceCluster();
  // The same peer written three ways, in two policies and both tiers.
  AddPolicies(&c, Np("x", "p1",
                     "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
                     "{matchLabels: {ns: y}}}]}]}") +
                      Np("x", "p2",
                         "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
                         "{matchExpressions: [{key: ns, operator: In, values: [y]}]}, "
                         "podSelector: {}}]}]}") +
                      Anp("a", 1,
                          "subject: {namespaces: {}}, ingress: [{action: Deny, from: "
                          "[{namespaces: {matchLabels: {ns: y}}}]}]"));
  NodePolicyState s = Compile(c, "n1");
  // matchLabels {ns: y} and "ns in (y)" are different texts but p1 and the ANP share one set.
  ASSERT_EQ(s.address_sets.size(), 2u);
  const PodProgram* p = Program(s, "x", "a");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->ingress.network_policy.rules.size(), 2u);
  ASSERT_EQ(p->ingress.admin.rules.size(), 1u);
  EXPECT_EQ(p->ingress.admin.rules[0].peer.set, p->ingress.network_policy.rules[0].peer.set);

  // A new pod changes members, not names or rules.
  PolicyCluster more = c;
  more.pods.push_back(MakePod("y", "d", "n2", {Ip("10.244.2.99")}, {{"pod", "d"}}));
  NodePolicyState s2 = Compile(more, "n1");
  ASSERT_EQ(s2.address_sets.size(), 2u);
  EXPECT_EQ(s2.address_sets[0].name, s.address_sets[0].name);
  EXPECT_EQ(s2.pods, s.pods);
  EXPECT_EQ(s2.address_sets[0].members.size(), s.address_sets[0].members.size() + 1);
}

TEST(CompileTest, SelectorKeyIsCanonical) {
  model::LabelSelector a;
  a.match_labels = {{"b", "2"}, {"a", "1"}};
  a.match_expressions = {{"k", model::LabelRequirement::Op::kIn, {"y", "x", "x"}},
                         {"e", model::LabelRequirement::Op::kDoesNotExist, {}}};
  model::LabelSelector b = a;
  std::reverse(b.match_expressions.begin(), b.match_expressions.end());
  b.match_expressions[0].values = {"x", "y"};
  EXPECT_EQ(SelectorKey(a), SelectorKey(b));
  EXPECT_EQ(SelectorKey(a), "{!e;a=1;b=2;k in (x,y)}");
  EXPECT_EQ(SelectorKey({}), "{}");
}

TEST(CompileTest, IngressNamedPortResolvedOrRuleLeftOut) {
  PolicyCluster c = ConformanceCluster();
  c.pods.push_back(MakePod("x", "bare", "n1", {Ip("10.244.1.99")}, {{"pod", "bare"}}));
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, ingress: [{from: [{podSelector: {}}], "
                     "ports: [{port: serve-81-tcp}]}]}"));
  NodePolicyState s = Compile(c, "n1");
  const PodProgram* a = Program(s, "x", "a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->ingress.network_policy.rules.size(), 1u);
  EXPECT_EQ(a->ingress.network_policy.rules[0].ports,
            (std::vector<PortMatch>{{Protocol::kTCP, 81, 81, ""}}));
  const PodProgram* bare = Program(s, "x", "bare");
  ASSERT_NE(bare, nullptr);
  EXPECT_TRUE(bare->ingress.network_policy.rules.empty());  // no such port: nothing allowed
  EXPECT_EQ(bare->ingress.network_policy.otherwise, Action::kDrop);
}

TEST(CompileTest, EgressNamedPortUsesAPortSet) {
  PolicyCluster c = ConformanceCluster();
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
                     "egress: [{ports: [{protocol: UDP, port: serve-81-udp}]}]}"));
  NodePolicyState s = Compile(c, "n1");
  ASSERT_EQ(s.port_sets.size(), 1u);
  EXPECT_EQ(s.port_sets[0].key, "port serve-81-udp");
  EXPECT_EQ(s.port_sets[0].members.size(), 18u);  // 9 pods x 2 addresses
  EXPECT_EQ(s.port_sets[0].members[0], (PortTuple{Ip(ModelV4(0)), Protocol::kUDP, 81}));
  const PodProgram* p = Program(s, "x", "a");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->egress.network_policy.rules.size(), 1u);
  const Rule& r = p->egress.network_policy.rules[0];
  EXPECT_EQ(r.peer.kind, PeerMatch::Kind::kAny);
  EXPECT_EQ(r.ports, (std::vector<PortMatch>{{Protocol::kUDP, 0, 65535, s.port_sets[0].name}}));
}

TEST(CompileTest, ExceptCoveringTheBlockLeavesThePeerOut) {
  PolicyCluster c = ConformanceCluster();
  model::NetworkPolicy np;
  np.metadata = {.name = "p", .namespace_ = "x"};
  np.spec.policy_types = {model::PolicyType::kIngress};
  model::NetworkPolicyRule rule;
  rule.peers.push_back(model::IpBlock{Net("10.0.0.0/24"), {Net("10.0.0.0/16")}});
  rule.peers.push_back(model::IpBlock{Net("10.1.0.0/16"), {Net("10.1.0.0/17"), Net("fd00::/8")}});
  rule.peers.push_back(model::SelectorPeer{std::nullopt, model::LabelSelector{}});
  np.spec.ingress.push_back(rule);
  c.network_policies.push_back(np);
  NodePolicyState state = Compile(c, "n1");
  const PodProgram* p = Program(state, "x", "a");
  ASSERT_NE(p, nullptr);
  const auto& rules = p->ingress.network_policy.rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].peer.kind, PeerMatch::Kind::kRanges);
  EXPECT_EQ(rules[0].peer.ranges,
            (std::vector<model::IpRange>{{Ip("10.1.128.0"), Ip("10.1.255.255")}}));
  EXPECT_EQ(rules[1].peer.kind, PeerMatch::Kind::kSet);
}

TEST(CompileTest, AdminActionsAndOrder) {
  PolicyCluster c = ConformanceCluster();
  AddPolicies(&c, Anp("second", 9,
                      "subject: {namespaces: {}}, ingress: [{action: Deny, from: "
                      "[{namespaces: {}}]}]") +
                      Anp("first", 2,
                          "subject: {namespaces: {}}, ingress: [{action: Pass, "
                          "from: [{namespaces: {}}, {pods: {namespaceSelector: {}, "
                          "podSelector: {matchLabels: {pod: a}}}}]}, {action: "
                          "Allow, from: [{namespaces: {}}]}]"));
  NodePolicyState state = Compile(c, "n2");
  const PodProgram* p = Program(state, "x", "b");
  ASSERT_NE(p, nullptr);
  std::vector<std::pair<Action, std::string>> got;
  for (const Rule& r : p->ingress.admin.rules) got.emplace_back(r.action, r.origin);
  EXPECT_EQ(got, (std::vector<std::pair<Action, std::string>>{
                     {Action::kNextTier, "AdminNetworkPolicy first ingress[0]"},
                     {Action::kNextTier, "AdminNetworkPolicy first ingress[0]"},
                     {Action::kAccept, "AdminNetworkPolicy first ingress[1]"},
                     {Action::kDrop, "AdminNetworkPolicy second ingress[0]"}}));
}

TEST(CompileTest, NodesPeerAndNetworksPeer) {
  PolicyCluster c = ConformanceCluster();
  AddPolicies(&c, Anp("out", 1,
                      "subject: {namespaces: {}}, egress: [{action: Deny, to: "
                      "[{nodes: {matchLabels: {kubernetes.io/hostname: n3}}}, "
                      "{networks: ['fd00::/16', 10.0.0.0/8, 10.1.0.0/16]}]}]"));
  NodePolicyState s = Compile(c, "n1");
  ASSERT_EQ(s.address_sets.size(), 1u);
  EXPECT_EQ(s.address_sets[0].members,
            (std::vector<model::IpAddress>{Ip("172.18.0.3"), Ip("fc00:18::3")}));
  const PodProgram* p = Program(s, "x", "a");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->egress.admin.rules.size(), 2u);
  EXPECT_EQ(p->egress.admin.rules[1].peer.ranges,
            (std::vector<model::IpRange>{{Ip("10.0.0.0"), Ip("10.255.255.255")},
                                         {Ip("fd00::"), Ip("fd00:ffff:ffff:ffff:ffff:ffff:"
                                                           "ffff:ffff")}}));
}

TEST(CompileTest, UnreferencedSetsAreDropped) {
  PolicyCluster c = ConformanceCluster();
  // The only rule needs a named port x/a lacks over UDP... it has serve-80-udp, so use a name
  // nobody has: the peer's set would be registered, then the rule is left out.
  AddPolicies(&c, Np("x", "p",
                     "{podSelector: {}, ingress: [{from: [{podSelector: {}}], "
                     "ports: [{port: nosuch}]}]}"));
  NodePolicyState s = Compile(c, "n1");
  EXPECT_EQ(s.pods.size(), 1u);
  EXPECT_TRUE(s.address_sets.empty());
}

TEST(CompileTest, DeterministicWhateverTheInputOrder) {
  PolicyCluster c = ConformanceCluster();
  for (const Scenario& sc : Scenarios()) {
    if (sc.name == "everything-stacked") AddPolicies(&c, sc.yaml);
  }
  PolicyCluster shuffled = c;
  std::mt19937 rng(7);
  std::shuffle(shuffled.pods.begin(), shuffled.pods.end(), rng);
  std::shuffle(shuffled.network_policies.begin(), shuffled.network_policies.end(), rng);
  std::shuffle(shuffled.admin_policies.begin(), shuffled.admin_policies.end(), rng);
  std::shuffle(shuffled.namespaces.begin(), shuffled.namespaces.end(), rng);
  for (std::string_view node : kNodes) {
    EXPECT_EQ(Compile(c, node), Compile(shuffled, node)) << node;
  }
}

TEST(CompileTest, PlacementAndNodesNeeding) {
  PolicyCluster c = ConformanceCluster();
  c.pods.push_back(MakePod("x", "unscheduled", "", {}, {{"pod", "u"}}));
  AddPolicies(&c, Np("x", "only-a", "{podSelector: {matchLabels: {pod: a}}}") +
                      Np("x", "only-u", "{podSelector: {matchLabels: {pod: u}}}") +
                      Anp("all-x", 1,
                          "subject: {namespaces: {matchLabels: {ns: x}}}, ingress: "
                          "[{action: Deny, from: [{namespaces: {}}]}]") +
                      Banp("{subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: "
                           "{pod: c}}}}, egress: [{action: Deny, to: [{namespaces: {}}]}]}"));
  PolicyCompiler compiler(c);
  std::vector<PolicyNodes> want = {
      {{PolicyKind::kNetworkPolicy, "x", "only-a"}, {"n1"}},
      {{PolicyKind::kNetworkPolicy, "x", "only-u"}, {}},
      {{PolicyKind::kAdminNetworkPolicy, "", "all-x"}, {"n1", "n2", "n3"}},
      {{PolicyKind::kBaselineAdminNetworkPolicy, "", "default"}, {"n3"}},  // every c is on n3
  };
  std::sort(want.begin(), want.end(),
            [](const PolicyNodes& a, const PolicyNodes& b) { return a.policy < b.policy; });
  EXPECT_EQ(compiler.Placement(), want);
  for (const PolicyNodes& p : want) EXPECT_EQ(compiler.NodesNeeding(p.policy), p.nodes);
  EXPECT_TRUE(compiler.NodesNeeding({PolicyKind::kNetworkPolicy, "x", "gone"}).empty());
}

TEST(CompileTest, InterpreterFollowsTiers) {
  PolicyCluster c = ConformanceCluster();
  for (const Scenario& sc : Scenarios()) {
    if (sc.name == "anp-pass-np-banp") AddPolicies(&c, sc.yaml);
  }
  std::vector<NodePolicyState> states = CompileAll(c);
  auto conn = [](std::string_view from, std::string_view to) {
    return Connection{ModelIp(from, model::Family::kV4), ModelIp(to, model::Family::kV4),
                      Protocol::kTCP, 80};
  };
  InterpretedVerdict v = Interpret(states, conn("z/a", "x/b"));
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.ingress_rule, "BaselineAdminNetworkPolicy default ingress[0]");
  v = Interpret(states, conn("y/a", "x/b"));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.ingress_rule, "AdminNetworkPolicy pass-z ingress[1]");
}

}  // namespace
}  // namespace egret::core::netpol::testing
