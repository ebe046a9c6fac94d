// Which policies select a pod: sources, EgressPolicy namespace scope, podSelector OR podSubnet,
// and EgressClusterPolicy namespaceSelector.
#include "core/egress/policy_match.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using testing::MakeNamespace;
using testing::MakePod;
using testing::Net;
using testing::Selector;

TEST(PodIsSource, OnlyScheduledRunningPodNetworkPodsWithAddresses) {
  model::Pod pod = MakePod("shop", "web", "n1", {"10.244.1.5"});
  EXPECT_TRUE(PodIsSource(pod));
  model::Pod p = pod;
  p.spec.node_name.clear();
  EXPECT_FALSE(PodIsSource(p));
  p = pod;
  p.spec.host_network = true;
  EXPECT_FALSE(PodIsSource(p));
  p = pod;
  p.status.pod_ips.clear();
  EXPECT_FALSE(PodIsSource(p));
  p = pod;
  p.status.phase = model::PodPhase::kSucceeded;
  EXPECT_FALSE(PodIsSource(p));
  p.status.phase = model::PodPhase::kFailed;
  EXPECT_FALSE(PodIsSource(p));
  p.status.phase = model::PodPhase::kPending;  // addresses given: it may already send
  EXPECT_TRUE(PodIsSource(p));
}

TEST(InScope, EgressPolicyOnlyItsNamespace) {
  model::AppliedTo at;
  EXPECT_TRUE(InScope(PolicyId::Namespaced("shop", "p"), at, "shop", {}));
  EXPECT_FALSE(InScope(PolicyId::Namespaced("shop", "p"), at, "bank", {}));
}

TEST(InScope, ClusterPolicyByNamespaceSelector) {
  model::AppliedTo at;
  EXPECT_TRUE(InScope(PolicyId::Cluster("c"), at, "any", {}));  // absent: every namespace
  at.namespace_selector = Selector({{"team", "a"}});
  EXPECT_TRUE(InScope(PolicyId::Cluster("c"), at, "x", {{"team", "a"}}));
  EXPECT_FALSE(InScope(PolicyId::Cluster("c"), at, "x", {{"team", "b"}}));
  EXPECT_FALSE(InScope(PolicyId::Cluster("c"), at, "x", {}));
}

TEST(SelectsPod, PodSelectorOrPodSubnet) {
  model::Pod web = MakePod("shop", "web", "n1", {"10.244.1.5", "fd00:10::5"}, {{"app", "web"}});
  model::Pod db = MakePod("shop", "db", "n1", {"10.244.2.5"}, {{"app", "db"}});
  model::AppliedTo by_label;
  by_label.pod_selector = Selector({{"app", "web"}});
  EXPECT_TRUE(SelectsPod(by_label, web));
  EXPECT_FALSE(SelectsPod(by_label, db));
  model::AppliedTo by_subnet;
  by_subnet.pod_subnet = {Net("10.244.2.0/24")};
  EXPECT_FALSE(SelectsPod(by_subnet, web));
  EXPECT_TRUE(SelectsPod(by_subnet, db));
  model::AppliedTo v6_subnet;
  v6_subnet.pod_subnet = {Net("fd00:10::/64")};
  EXPECT_TRUE(SelectsPod(v6_subnet, web));  // any of the pod's addresses
  model::AppliedTo both = by_label;
  both.pod_subnet = by_subnet.pod_subnet;
  EXPECT_TRUE(SelectsPod(both, web));
  EXPECT_TRUE(SelectsPod(both, db));
  model::AppliedTo all;
  all.pod_selector = model::LabelSelector{};
  EXPECT_TRUE(SelectsPod(all, db));
  EXPECT_FALSE(SelectsPod(model::AppliedTo{}, db));
}

TEST(PolicyMatcher, CombinesNamespaceAndPodParts) {
  PolicyId np = PolicyId::Namespaced("shop", "web");
  PolicyId cp = PolicyId::Cluster("team-a");
  PolicyId cp_all = PolicyId::Cluster("all-db");
  model::AppliedTo np_at, cp_at, cp_all_at;
  np_at.pod_selector = Selector({{"app", "web"}});
  cp_at.pod_selector = model::LabelSelector{};
  cp_at.namespace_selector = Selector({{"team", "a"}});
  cp_all_at.pod_subnet = {Net("10.244.2.0/24")};
  std::vector<model::Namespace> namespaces = {MakeNamespace("shop", {{"team", "a"}}),
                                              MakeNamespace("bank", {{"team", "b"}})};
  PolicyMatcher m({{&np, &np_at}, {&cp, &cp_at}, {&cp_all, &cp_all_at}}, namespaces);
  EXPECT_EQ(m.Matching(MakePod("shop", "w", "n1", {"10.244.1.5"}, {{"app", "web"}})),
            (std::vector<size_t>{0, 1}));
  EXPECT_EQ(m.Matching(MakePod("bank", "w", "n1", {"10.244.1.6"}, {{"app", "web"}})),
            (std::vector<size_t>{}));
  EXPECT_EQ(m.Matching(MakePod("bank", "d", "n1", {"10.244.2.6"})), (std::vector<size_t>{2}));
  // A namespace without a Namespace object has no labels.
  EXPECT_EQ(m.Matching(MakePod("ghost", "d", "n1", {"10.244.2.7"})), (std::vector<size_t>{2}));
  model::Pod host = MakePod("shop", "h", "n1", {"10.244.1.7"}, {{"app", "web"}});
  host.spec.host_network = true;
  EXPECT_TRUE(m.Matching(host).empty());
}

}  // namespace
}  // namespace egret::core::egress
