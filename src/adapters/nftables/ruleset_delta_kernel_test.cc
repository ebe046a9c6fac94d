// Element updates of the node firewall (core/nodefw/ruleset_delta.h) against the kernel (root
// only, throwaway namespaces): a full apply of ruleset A followed by the delta A → B lists
// exactly like a full apply of B, and leaves every chain, rule and set object in place (same
// handles), i.e. only elements were touched.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/nftables/nft_driver.h"
#include "adapters/nftables/nft_test_util.h"
#include "core/egress/datapath.h"
#include "core/netpol/render_nft.h"
#include "core/nodefw/node_firewall.h"
#include "core/nodefw/ruleset_delta.h"
#include "doc/json.h"

namespace egret::nftables {
namespace {

namespace np = core::netpol;
namespace eg = core::egress;
using nodefw::NodeFirewallConfig;
using testing::NewNftNs;
using testing::NftNs;
using testing::Objects;
using testing::WithoutHandles;

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }
model::IpAddress Ip(std::string_view text) { return *model::IpAddress::Parse(text); }
model::IpRange R(std::string_view text) { return *model::IpRange::Parse(text); }

// What varies between the two rulesets: contents only.
struct Contents {
  std::vector<model::Cidr> extra_internal;
  std::vector<model::IpAddress> peers;  // members of the policy's peer set
  std::vector<np::LocalPod> local_pods;
  std::vector<std::pair<std::string, size_t>> steering;  // source → target
};

// x/a on this node: ingress from the peer set on TCP 80 only; x/b: no ingress at all.
np::NodePolicyState PolicyState(const std::vector<model::IpAddress>& peers) {
  np::NodePolicyState st;
  st.node = "n1";
  st.address_sets.push_back({"a1", "pods ns=x pod={pod=b}", peers});
  st.node_pods = {{"x", "a", {Ip("10.244.1.10")}}, {"x", "b", {Ip("10.244.1.11")}}};
  np::Rule rule;
  rule.peer.kind = np::PeerMatch::Kind::kSet;
  rule.peer.set = "a1";
  rule.ports.push_back({model::Protocol::kTCP, 80, 80, ""});
  rule.origin = "NetworkPolicy x/allow-b ingress[0]";
  for (std::string name : {"a", "b"}) {
    np::PodProgram p{.namespace_ = "x", .name = name};
    p.addresses = {Ip(name == "a" ? "10.244.1.10" : "10.244.1.11")};
    if (name == "a") p.ingress.network_policy.rules.push_back(rule);
    p.ingress.network_policy.otherwise = np::Action::kDrop;
    p.ingress.baseline.otherwise = np::Action::kAccept;
    p.egress.baseline.otherwise = np::Action::kAccept;
    st.pods.push_back(p);
  }
  return st;
}

// Two targets this node is active for; every source is SNATed by the target it is steered to.
eg::NodeEgressState EgressState(const std::vector<std::pair<std::string, size_t>>& steering) {
  eg::NodeEgressState st;
  st.node = "n1";
  for (std::string eip : {"10.6.1.21", "10.6.1.22"}) {
    eg::EgressTarget t{.gateway = "gw", .key = eip, .candidates = {"n1"}};
    t.eip.ipv4 = Ip(eip);
    st.targets.push_back(t);
    eg::SnatMatch m{.sources = {}, .destinations = {R("1.2.3.0/24")}};
    st.snat.push_back({.target = st.snat.size(), .matches = {m}});
  }
  for (const auto& [source, target] : steering) {
    st.steering.push_back({.source = Ip(source), .destination = R("1.2.3.0/24"), .target = target});
    st.snat[target].matches[0].sources.push_back(Ip(source));
  }
  return st;
}

std::string Script(const Contents& c) {
  NodeFirewallConfig cfg{
      .cluster_pod_cidrs = {C("10.244.0.0/16"), C("fd00:10:244::/56")},
      .node_pod_cidrs = {C("10.244.1.0/24"), C("fd00:10:244:1::/64")},
      .service_cidrs = {C("10.96.0.0/12")},
      .node_addresses = {Ip("192.168.50.10"), Ip("192.168.50.11")},
      .extra_internal_cidrs = c.extra_internal,
  };
  np::PolicyNft policy = np::RenderPolicy({PolicyState(c.peers), c.local_pods});
  cfg.policy_definitions = policy.definitions;
  cfg.policy_rules = policy.rules;
  eg::NodeEgressState egress = EgressState(c.steering);
  eg::EgressDatapath dp =
      eg::PlanEgressDatapath({.state = &egress, .self = "n1", .active = {"n1", "n1"}});
  cfg.egress_definitions = dp.nft_definitions;
  cfg.egress_mark_rules = dp.nft_mark_rules;
  cfg.egress_snat_rules = dp.nft_snat_rules;
  return nodefw::RenderNodeFirewall(cfg);
}

Contents Before() {
  return {.extra_internal = {C("172.16.0.0/12")},
          .peers = {Ip("10.244.2.11")},
          .local_pods = {},
          .steering = {{"10.244.1.5", 0}, {"10.244.1.6", 1}}};
}

// Every kind of element change: a range split, a peer joining (IPv4 and IPv6), a pending pod,
// a steering row moving to another target (a value change in a concatenated interval map), one
// joining, SNAT sources moving between sets (each source class keeps a member: an empty one has
// no sets at all, which is a change of structure).
Contents After() {
  return {.extra_internal = {C("172.16.0.0/13"), C("172.24.0.0/13")},
          .peers = {Ip("10.244.2.11"), Ip("10.244.3.7"), Ip("fd00:10:244:2::11")},
          .local_pods = {{"x", "new", {Ip("10.244.1.20")}}},
          .steering = {{"10.244.1.5", 1}, {"10.244.1.6", 1}, {"10.244.1.7", 0}}};
}

nodefw::SplitRuleset Split(const std::string& script) {
  StatusOr<nodefw::SplitRuleset> split = nodefw::SplitScript(script);
  EXPECT_TRUE(split.ok()) << split.status().ToString();
  return split.ok() ? *split : nodefw::SplitRuleset{};
}

// Element order of a listing follows the kernel's set backend; compare sets as sets.
doc::Value SortedElements(doc::Value v) {
  if (v.is_list()) {
    for (doc::Value& item : v.as_list()) item = SortedElements(std::move(item));
  } else if (v.is_map()) {
    for (doc::Member& m : v.as_map()) {
      m.value = SortedElements(std::move(m.value));
      if (m.key != "elem" || !m.value.is_list()) continue;
      std::sort(
          m.value.as_list().begin(), m.value.as_list().end(),
          [](const doc::Value& a, const doc::Value& b) { return doc::ToJson(a) < doc::ToJson(b); });
    }
  }
  return v;
}

doc::Value List(NftDriver& nft) {
  StatusOr<doc::Value> listing = nft.ListTable("inet", "egret");
  EXPECT_TRUE(listing.ok()) << listing.status().ToString();
  return listing.ok() ? *listing : doc::Value();
}

// The table's objects other than sets (chains, rules) and the sets without their elements,
// handles included.
std::vector<doc::Value> Skeleton(const doc::Value& listing) {
  std::vector<doc::Value> out = Objects(listing, "chain");
  for (doc::Value& rule : Objects(listing, "rule")) out.push_back(std::move(rule));
  for (doc::Value set : Objects(listing, "set")) {
    set.Erase("elem");
    out.push_back(std::move(set));
  }
  for (doc::Value map : Objects(listing, "map")) {
    map.Erase("elem");
    out.push_back(std::move(map));
  }
  return out;
}

TEST(KernelRulesetDelta, ElementUpdatesEqualAFullApplyAndTouchNoRule) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> updated = NewNftNs("delta-upd");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  StatusOr<NftNs> fresh = NewNftNs("delta-full");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  const std::string before = Script(Before());
  const std::string after = Script(After());

  Status st = updated->nft->Apply(before);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const doc::Value listed_before = List(*updated->nft);
  nodefw::RulesetDelta delta = nodefw::DiffRulesets(Split(before), Split(after));
  ASSERT_FALSE(delta.replace) << delta.reason;
  ASSERT_GE(delta.sets.size(), 6u);
  const std::string delta_script = nodefw::RenderRulesetDelta(delta);
  st = updated->nft->Apply(delta_script);
  ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << delta_script;
  const doc::Value listed_after = List(*updated->nft);

  st = fresh->nft->Apply(after);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(doc::ToJson(SortedElements(WithoutHandles(listed_after))),
            doc::ToJson(SortedElements(WithoutHandles(List(*fresh->nft)))))
      << delta_script;
  // Same chains, rules and sets with the same handles: nothing but elements was touched.
  std::vector<doc::Value> skeleton = Skeleton(listed_before);
  EXPECT_GT(skeleton.size(), 30u);
  EXPECT_EQ(skeleton, Skeleton(listed_after));

  // And back: the reverse delta restores A.
  nodefw::RulesetDelta back = nodefw::DiffRulesets(Split(after), Split(before));
  st = updated->nft->Apply(nodefw::RenderRulesetDelta(back));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(doc::ToJson(SortedElements(List(*updated->nft))),
            doc::ToJson(SortedElements(listed_before)));
}

// A delta that no longer fits the table (an element to delete is gone) is refused as a whole,
// leaving the table as it was: the agent then replaces the table.
TEST(KernelRulesetDelta, AStaleDeltaChangesNothing) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("delta-stale");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  const std::string before = Script(Before());
  ASSERT_TRUE(lab->nft->Apply(before).ok());
  nodefw::RulesetDelta delta = nodefw::DiffRulesets(Split(before), Split(Script(After())));
  ASSERT_TRUE(lab->nft->Apply("delete element inet egret internal4 { 172.16.0.0/12 }\n").ok());
  const doc::Value listed = List(*lab->nft);
  Status st = lab->nft->Apply(nodefw::RenderRulesetDelta(delta));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(List(*lab->nft), listed);
}

}  // namespace
}  // namespace egret::nftables
