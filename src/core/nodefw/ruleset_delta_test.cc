#include "core/nodefw/ruleset_delta.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/egress/datapath.h"
#include "core/netpol/render_nft.h"
#include "core/nodefw/node_firewall.h"

namespace egret::nodefw {
namespace {

namespace np = core::netpol;
namespace eg = core::egress;

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }
model::IpAddress Ip(std::string_view text) { return *model::IpAddress::Parse(text); }
model::IpRange R(std::string_view text) { return *model::IpRange::Parse(text); }

NodeFirewallConfig BaseConfig() {
  return {
      .cluster_pod_cidrs = {C("10.244.0.0/16"), C("fd00:10:244::/56")},
      .node_pod_cidrs = {C("10.244.1.0/24"), C("fd00:10:244:1::/64")},
      .service_cidrs = {C("10.96.0.0/12")},
      .node_addresses = {Ip("192.168.50.10"), Ip("192.168.50.11")},
      .extra_internal_cidrs = {C("172.16.0.0/12")},
      .pod_bridge = "egret0",
  };
}

// x/a on this node, ingress allowed from the members of set a1 on TCP 80 only.
np::NodePolicyState PolicyState(std::vector<model::IpAddress> a1_members) {
  np::NodePolicyState st;
  st.node = "n1";
  st.address_sets.push_back({"a1", "pods ns=x pod={pod=b}", std::move(a1_members)});
  st.node_pods = {{"x", "a", {Ip("10.244.1.10")}}};
  np::PodProgram p{.namespace_ = "x", .name = "a", .addresses = {Ip("10.244.1.10")}};
  np::Rule rule;
  rule.peer.kind = np::PeerMatch::Kind::kSet;
  rule.peer.set = "a1";
  rule.ports.push_back({model::Protocol::kTCP, 80, 80, ""});
  rule.origin = "NetworkPolicy x/allow-b ingress[0]";
  p.ingress.network_policy.rules.push_back(rule);
  p.ingress.network_policy.otherwise = np::Action::kDrop;
  p.ingress.baseline.otherwise = np::Action::kAccept;
  p.egress.baseline.otherwise = np::Action::kAccept;
  st.pods.push_back(p);
  return st;
}

SplitRuleset Split(const NodeFirewallConfig& cfg) {
  StatusOr<SplitRuleset> split = SplitScript(RenderNodeFirewall(cfg));
  EXPECT_TRUE(split.ok()) << split.status().ToString();
  return split.ok() ? *split : SplitRuleset{};
}

SplitRuleset WithPolicy(const np::PolicyRenderInput& in) {
  np::PolicyNft nft = np::RenderPolicy(in);
  NodeFirewallConfig cfg = BaseConfig();
  cfg.policy_definitions = nft.definitions;
  cfg.policy_rules = nft.rules;
  return Split(cfg);
}

const SetContents* Find(const SplitRuleset& r, std::string_view name) {
  for (const SetContents& s : r.sets) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

TEST(SplitScript, SeparatesElementsFromStructure) {
  SplitRuleset r = WithPolicy({PolicyState({Ip("10.244.2.11")}), {}});
  EXPECT_EQ(r.structure.find("elements"), std::string::npos);
  EXPECT_NE(r.structure.find("\tset internal4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}\n"),
            std::string::npos);
  const SetContents* internal4 = Find(r, "internal4");
  ASSERT_NE(internal4, nullptr);
  EXPECT_TRUE(internal4->interval);
  EXPECT_FALSE(internal4->map);
  EXPECT_EQ(internal4->elements,
            (std::vector<std::string>{"10.96.0.0/12", "10.244.0.0/16", "172.16.0.0/12",
                                      "192.168.50.10", "192.168.50.11"}));
  const SetContents* ingress = Find(r, "np_ingress4");
  ASSERT_NE(ingress, nullptr);
  EXPECT_TRUE(ingress->map);
  EXPECT_FALSE(ingress->interval);
  ASSERT_EQ(ingress->elements.size(), 1u);
  EXPECT_TRUE(ingress->elements[0].starts_with("10.244.1.10 comment \"x/a\" : jump np_"));
  EXPECT_EQ(Find(r, "a14")->elements, std::vector<std::string>{"10.244.2.11"});
  EXPECT_TRUE(Find(r, "a16")->elements.empty());
}

TEST(SplitScript, RejectsElementsNotOnePerLine) {
  StatusOr<SplitRuleset> r = SplitScript(
      "table inet egret {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 1.2.3.4 }\n"
      "\t}\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 4: elements not written one per line"),
            std::string::npos)
      << r.status().ToString();
}

TEST(SplitScript, RejectsAnUnterminatedSet) {
  StatusOr<SplitRuleset> r = SplitScript("table inet egret {\n\tset s {\n\t\ttype ipv4_addr\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ends inside set \"s\""), std::string::npos);
}

TEST(ElementKey, StripsCommentAndValue) {
  EXPECT_EQ(ElementKey("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(ElementKey("fd00::1"), "fd00::1");
  EXPECT_EQ(ElementKey("fd00::1 comment \"x/a : b\" : jump np_1"), "fd00::1");
  EXPECT_EQ(ElementKey("10.0.0.1 . 1.2.3.0-1.2.3.255 : 0x00100000"),
            "10.0.0.1 . 1.2.3.0-1.2.3.255");
  EXPECT_EQ(ElementKey("10.0.0.1 . tcp . 80"), "10.0.0.1 . tcp . 80");
}

TEST(DiffRulesets, NoChangeIsEmpty) {
  SplitRuleset a = WithPolicy({PolicyState({Ip("10.244.2.11")}), {}});
  RulesetDelta d = DiffRulesets(a, a);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(RenderRulesetDelta(d), "");
}

TEST(DiffRulesets, ElementOrderIsNoChange) {
  SplitRuleset a = Split(BaseConfig());
  SplitRuleset b = a;
  for (SetContents& s : b.sets) std::reverse(s.elements.begin(), s.elements.end());
  ASSERT_NE(a, b);
  EXPECT_TRUE(DiffRulesets(a, b).empty());
}

TEST(DiffRulesets, OnePodJoiningAPeerSetIsOneAddElement) {
  SplitRuleset before = WithPolicy({PolicyState({Ip("10.244.2.11")}), {}});
  SplitRuleset after = WithPolicy({PolicyState({Ip("10.244.2.11"), Ip("10.244.3.7")}), {}});
  RulesetDelta d = DiffRulesets(before, after);
  ASSERT_FALSE(d.replace) << d.reason;
  ASSERT_EQ(d.sets.size(), 1u);
  EXPECT_EQ(d.sets[0].name, "a14");
  EXPECT_TRUE(d.sets[0].removed.empty());
  EXPECT_EQ(d.sets[0].added, std::vector<std::string>{"10.244.3.7"});
  EXPECT_EQ(d.added(), 1u);
  EXPECT_EQ(d.removed(), 0u);
  EXPECT_EQ(RenderRulesetDelta(d),
            "# Element changes of table inet egret (one transaction): deletions first, so that\n"
            "# no interval added here overlaps one that is about to go.\n"
            "add element inet egret a14 {\n\t10.244.3.7\n}\n");
  // And leaving again: removed by its key.
  RulesetDelta back = DiffRulesets(after, before);
  ASSERT_EQ(back.sets.size(), 1u);
  EXPECT_EQ(back.sets[0].removed, std::vector<std::string>{"10.244.3.7"});
  EXPECT_TRUE(back.sets[0].added.empty());
}

// A new local pod the state does not list: a pending element, nothing else.
TEST(DiffRulesets, PendingPodIsOneElementOfThePendingSet) {
  np::NodePolicyState st = PolicyState({Ip("10.244.2.11")});
  SplitRuleset before = WithPolicy({st, {}});
  SplitRuleset after = WithPolicy({st, {{"x", "new", {Ip("10.244.1.20")}}}});
  RulesetDelta d = DiffRulesets(before, after);
  ASSERT_FALSE(d.replace) << d.reason;
  ASSERT_EQ(d.sets.size(), 1u);
  EXPECT_EQ(d.sets[0].name, "np_pending4");
  EXPECT_EQ(d.sets[0].added, std::vector<std::string>{"10.244.1.20 comment \"x/new\""});
}

TEST(DiffRulesets, ChangedMapValueIsRemovedByKeyAndAddedAgain) {
  SplitRuleset a = Split(BaseConfig());
  a.sets.push_back({.name = "m", .map = true, .elements = {"10.0.0.1 comment \"x/a\" : jump c1"}});
  SplitRuleset b = a;
  b.sets.back().elements = {"10.0.0.1 comment \"x/b\" : jump c2"};
  RulesetDelta d = DiffRulesets(a, b);
  ASSERT_EQ(d.sets.size(), 1u);
  EXPECT_EQ(d.sets[0].removed, std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(d.sets[0].added, std::vector<std::string>{"10.0.0.1 comment \"x/b\" : jump c2"});
}

// Interval sets: the old range goes exactly as it was added, the pieces come after it.
TEST(DiffRulesets, RangeSplitIsDeleteThenAdds) {
  NodeFirewallConfig cfg = BaseConfig();
  SplitRuleset before = Split(cfg);
  cfg.extra_internal_cidrs = {C("172.16.0.0/13"), C("172.24.0.0/13")};
  SplitRuleset after = Split(cfg);
  RulesetDelta d = DiffRulesets(before, after);
  ASSERT_FALSE(d.replace) << d.reason;
  ASSERT_EQ(d.sets.size(), 1u);
  EXPECT_EQ(d.sets[0].name, "internal4");
  EXPECT_EQ(d.sets[0].removed, std::vector<std::string>{"172.16.0.0/12"});
  EXPECT_EQ(d.sets[0].added, (std::vector<std::string>{"172.16.0.0/13", "172.24.0.0/13"}));
  const std::string script = RenderRulesetDelta(d);
  EXPECT_LT(
      script.find("delete element inet egret internal4 {\n\t172.16.0.0/12\n}\n"),
      script.find("add element inet egret internal4 {\n\t172.16.0.0/13,\n\t172.24.0.0/13\n}\n"))
      << script;
}

// Deletions of every set come before any addition (here fd00::/8 covers the range it replaces).
TEST(DiffRulesets, AllDeletionsComeFirst) {
  SplitRuleset a = Split(BaseConfig());
  SplitRuleset b = a;
  for (SetContents& s : b.sets) {
    if (s.name == "internal6") s.elements = {"fd00::/8"};
    if (s.name == "node_pods4") s.elements = {"10.244.2.0/24"};
  }
  const std::string script = RenderRulesetDelta(DiffRulesets(a, b));
  EXPECT_EQ(script.substr(script.find("delete")),
            "delete element inet egret internal6 {\n\tfd00:10:244::/56\n}\n"
            "delete element inet egret node_pods4 {\n\t10.244.1.0/24\n}\n"
            "add element inet egret internal6 {\n\tfd00::/8\n}\n"
            "add element inet egret node_pods4 {\n\t10.244.2.0/24\n}\n");
}

TEST(DiffRulesets, StructureChangeNeedsAReplace) {
  NodeFirewallConfig cfg = BaseConfig();
  SplitRuleset before = Split(cfg);
  cfg.pod_bridge = "egret1";
  RulesetDelta d = DiffRulesets(before, Split(cfg));
  EXPECT_TRUE(d.replace);
  EXPECT_TRUE(d.sets.empty());
  EXPECT_NE(d.reason.find("structure changed at line"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("iifname \\\"egret1\\\" accept"), std::string::npos) << d.reason;
  EXPECT_EQ(RenderRulesetDelta(d), "");
}

// A policy whose rules change gets a chain of another name: structure.
TEST(DiffRulesets, ChangedPolicyProgramNeedsAReplace) {
  np::NodePolicyState st = PolicyState({Ip("10.244.2.11")});
  SplitRuleset before = WithPolicy({st, {}});
  st.pods[0].ingress.network_policy.rules[0].ports[0].first = 81;
  st.pods[0].ingress.network_policy.rules[0].ports[0].last = 81;
  EXPECT_TRUE(DiffRulesets(before, WithPolicy({st, {}})).replace);
}

// Egress: steering rows are elements of a concatenated interval map; SNAT sources are elements.
eg::NodeEgressState EgressState(std::vector<std::string> sources) {
  eg::NodeEgressState st;
  st.node = "n1";
  eg::EgressTarget t{.gateway = "gw", .key = "10.6.1.21", .candidates = {"n1"}};
  t.eip.ipv4 = Ip("10.6.1.21");
  st.targets.push_back(t);
  eg::SnatMatch m;
  for (const std::string& s : sources) {
    st.steering.push_back({.source = Ip(s), .destination = R("1.2.3.0/24"), .target = 0});
    m.sources.push_back(Ip(s));
  }
  m.destinations = {R("1.2.3.0/24")};
  st.snat.push_back({.target = 0, .matches = {m}});
  return st;
}

SplitRuleset WithEgress(const eg::NodeEgressState& st) {
  eg::EgressDatapathInput in{.state = &st, .self = "n1", .active = {"n1"}};
  eg::EgressDatapath dp = eg::PlanEgressDatapath(in);
  NodeFirewallConfig cfg = BaseConfig();
  cfg.egress_definitions = dp.nft_definitions;
  cfg.egress_mark_rules = dp.nft_mark_rules;
  cfg.egress_snat_rules = dp.nft_snat_rules;
  return Split(cfg);
}

TEST(DiffRulesets, EgressPodJoiningIsOneSteeringRowAndOneSnatSource) {
  SplitRuleset before = WithEgress(EgressState({"10.244.1.5"}));
  SplitRuleset after = WithEgress(EgressState({"10.244.1.5", "10.244.1.6"}));
  RulesetDelta d = DiffRulesets(before, after);
  ASSERT_FALSE(d.replace) << d.reason;
  ASSERT_EQ(d.sets.size(), 2u);
  EXPECT_EQ(d.sets[0].name, "egress_steer4");
  EXPECT_EQ(d.sets[0].added,
            std::vector<std::string>{"10.244.1.6 . 1.2.3.0-1.2.3.255 : 0x00100000"});
  EXPECT_EQ(d.sets[1].name, "egress_t0_0_src");
  EXPECT_EQ(d.sets[1].added, std::vector<std::string>{"10.244.1.6"});
  EXPECT_EQ(d.removed(), 0u);
}

}  // namespace
}  // namespace egret::nodefw
