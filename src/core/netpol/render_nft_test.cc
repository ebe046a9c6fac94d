#include "core/netpol/render_nft.h"

#include <gtest/gtest.h>

#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"

namespace egret::core::netpol {
namespace {

using testing::Ip;

Rule MakeRule(PeerMatch peer, std::vector<PortMatch> ports, Action action, std::string origin) {
  Rule r;
  r.peer = std::move(peer);
  r.ports = std::move(ports);
  r.action = action;
  r.origin = std::move(origin);
  return r;
}

PeerMatch SetPeer(std::string name) {
  PeerMatch p;
  p.kind = PeerMatch::Kind::kSet;
  p.set = std::move(name);
  return p;
}

PortMatch Ports(model::Protocol proto, uint16_t first, uint16_t last) {
  PortMatch p;
  p.protocol = proto;
  p.first = first;
  p.last = last;
  return p;
}

// x/a on n1: ingress isolated by a NetworkPolicy allowing the set `a1` on TCP 80-81; egress
// under an ANP that passes to the baseline, which denies.
NodePolicyState SmallState() {
  NodePolicyState s;
  s.node = "n1";
  s.address_sets.push_back({"a1", "pods ns=x pod={pod=b}", {Ip("10.244.1.11"), Ip("fd00::11")}});
  s.node_pods = {{"x", "a", {Ip("10.244.1.10")}}, {"x", "c", {Ip("10.244.1.12")}}};
  PodProgram p;
  p.namespace_ = "x";
  p.name = "a";
  p.addresses = {Ip("10.244.1.10")};
  p.ingress.network_policy.rules.push_back(MakeRule(
      SetPeer("a1"), {Ports(model::Protocol::kTCP, 80, 80), Ports(model::Protocol::kTCP, 81, 81)},
      Action::kAccept, "NetworkPolicy x/np ingress[0]"));
  p.ingress.network_policy.otherwise = Action::kDrop;
  p.ingress.baseline.otherwise = Action::kAccept;
  p.egress.admin.rules.push_back(MakeRule({}, {}, Action::kNextTier, "AdminNetworkPolicy p"));
  p.egress.baseline.rules.push_back(MakeRule({}, {}, Action::kDrop, "BaselineAdminNetworkPolicy"));
  p.egress.baseline.otherwise = Action::kAccept;
  s.pods.push_back(p);
  return s;
}

TEST(RenderPolicy, DispatchesEachPodAddressToItsProgram) {
  PolicyNft nft = RenderPolicy({SmallState(), {}});
  ASSERT_EQ(nft.dispatch.ingress.size(), 1u);
  ASSERT_EQ(nft.dispatch.egress.size(), 1u);
  const std::string in_chain = nft.dispatch.ingress.at(Ip("10.244.1.10"));
  const std::string eg_chain = nft.dispatch.egress.at(Ip("10.244.1.10"));
  EXPECT_NE(in_chain, eg_chain);
  EXPECT_NE(nft.definitions.find("10.244.1.10 comment \"x/a\" : jump " + in_chain),
            std::string::npos)
      << nft.definitions;
  // Ingress: one NetworkPolicy chain; ports merged into one interval; Accept is `return`.
  EXPECT_NE(nft.definitions.find("\tchain " + in_chain +
                                 " {\n"
                                 "\t\tip saddr @a14 meta l4proto . th dport { tcp . 80-81 } "
                                 "return comment \"NetworkPolicy x/np ingress[0]\"\n"
                                 "\t\tip6 saddr @a16 meta l4proto . th dport { tcp . 80-81 } "
                                 "return comment \"NetworkPolicy x/np ingress[0]\"\n"
                                 "\t\tcounter drop\n\t}\n"),
            std::string::npos)
      << nft.definitions;
  // Egress: the admin chain passes with a goto to the baseline chain, which drops.
  EXPECT_NE(nft.definitions.find("\tchain " + eg_chain + " {\n\t\tgoto np_"), std::string::npos)
      << nft.definitions;
  EXPECT_NE(nft.definitions.find("\t\tcounter drop comment \"BaselineAdminNetworkPolicy\"\n"
                                 "\t\treturn\n"),
            std::string::npos);
  EXPECT_EQ(nft.chains, 3u);
  EXPECT_NE(nft.definitions.find("set a14 {\n\t\ttype ipv4_addr\n"), std::string::npos);
  EXPECT_NE(nft.rules.find("ip daddr vmap @np_ingress4"), std::string::npos);
  EXPECT_NE(nft.rules.find("ip6 saddr vmap @np_egress6"), std::string::npos);
}

TEST(RenderPolicy, PodsWithEqualProgramsShareChains) {
  NodePolicyState s = SmallState();
  PodProgram twin = s.pods[0];
  twin.name = "c";
  twin.addresses = {Ip("10.244.1.12")};
  s.pods.push_back(twin);
  PolicyNft nft = RenderPolicy({s, {}});
  EXPECT_EQ(nft.chains, 3u);
  EXPECT_EQ(nft.dispatch.ingress.at(Ip("10.244.1.10")), nft.dispatch.ingress.at(Ip("10.244.1.12")));
}

TEST(RenderPolicy, DirectionsAcceptingEverythingHaveNoEntry) {
  NodePolicyState s = SmallState();
  s.pods[0].egress = {};
  s.pods[0].egress.baseline.otherwise = Action::kAccept;
  PolicyNft nft = RenderPolicy({s, {}});
  EXPECT_TRUE(nft.dispatch.egress.empty());
  EXPECT_EQ(nft.dispatch.ingress.size(), 1u);
}

TEST(RenderPolicy, LocalPodsTheStateDoesNotListArePending) {
  // x/new was plumbed here; the state does not list it yet. x/c is listed without a program.
  PolicyRenderInput in{
      SmallState(),
      {{"x", "new", {Ip("10.244.1.20"), Ip("fd00::20")}}, {"x", "c", {Ip("10.244.1.12")}}}};
  PolicyNft nft = RenderPolicy(in);
  EXPECT_EQ(nft.dispatch.pending.size(), 2u);
  EXPECT_EQ(nft.dispatch.pending.at(Ip("fd00::20")), "x/new");
  EXPECT_NE(nft.definitions.find("10.244.1.20 comment \"x/new\""), std::string::npos);
  EXPECT_FALSE(nft.dispatch.ingress.contains(Ip("10.244.1.12")));
}

TEST(RenderPolicy, LocalAddressesAttachProgramsBeforeTheStatusHasThem) {
  NodePolicyState s = SmallState();
  s.pods[0].addresses.clear();
  s.node_pods[0].addresses.clear();
  PolicyNft nft = RenderPolicy({s, {{"x", "a", {Ip("10.244.1.10")}}}});
  EXPECT_TRUE(nft.dispatch.ingress.contains(Ip("10.244.1.10")));
  EXPECT_TRUE(nft.dispatch.pending.empty());
}

TEST(RenderPolicy, LocalRecordsWinOverAStaleAddressInTheState) {
  // The state still gives x/a's old address to x/a; this node plumbed it for x/new since.
  PolicyNft nft = RenderPolicy({SmallState(), {{"x", "new", {Ip("10.244.1.10")}}}});
  EXPECT_FALSE(nft.dispatch.ingress.contains(Ip("10.244.1.10")));
  EXPECT_EQ(nft.dispatch.pending.at(Ip("10.244.1.10")), "x/new");
}

TEST(RenderPolicy, PortListsAndRangesBecomeAnonymousSets) {
  NodePolicyState s = SmallState();
  PeerMatch ranges;
  ranges.kind = PeerMatch::Kind::kRanges;
  ranges.ranges = {{Ip("10.0.0.0"), Ip("10.0.255.255")},
                   {Ip("10.2.0.1"), Ip("10.2.0.1")},
                   {Ip("fd00::"), Ip("fd00::ff")}};
  PortMatch any_proto;
  any_proto.first = 53;
  any_proto.last = 53;
  s.pods[0].ingress.network_policy.rules = {MakeRule(
      ranges,
      {Ports(model::Protocol::kSCTP, 80, 90), any_proto, Ports(model::Protocol::kUDP, 50, 60)},
      Action::kAccept, "NetworkPolicy x/np ingress[1]")};
  PolicyNft nft = RenderPolicy({s, {}});
  EXPECT_NE(nft.definitions.find("ip saddr { 10.0.0.0-10.0.255.255, 10.2.0.1 } meta l4proto . "
                                 "th dport { tcp . 53, udp . 50-60, sctp . 53, sctp . 80-90 } "
                                 "return"),
            std::string::npos)
      << nft.definitions;
  EXPECT_NE(nft.definitions.find("ip6 saddr { fd00::-fd00::ff } meta"), std::string::npos);
}

TEST(RenderPolicy, NamedPortsOnEgressLookUpThePortSet) {
  NodePolicyState s = SmallState();
  s.port_sets.push_back({"n1",
                         "port serve-80-udp",
                         {{Ip("10.244.2.11"), model::Protocol::kUDP, 80},
                          {Ip("fd00::11"), model::Protocol::kUDP, 80}}});
  PortMatch named;
  named.protocol = model::Protocol::kUDP;
  named.port_set = "n1";
  s.pods[0].egress.admin.rules = {MakeRule({}, {named}, Action::kAccept, "AdminNetworkPolicy p")};
  PolicyNft nft = RenderPolicy({s, {}});
  EXPECT_NE(nft.definitions.find("\t\tmeta l4proto udp ip daddr . meta l4proto . th dport @n14 "
                                 "return comment \"AdminNetworkPolicy p\"\n"),
            std::string::npos)
      << nft.definitions;
  EXPECT_NE(nft.definitions.find("set n14 {\n\t\ttype ipv4_addr . inet_proto . inet_service\n"
                                 "\t\tcomment \"port serve-80-udp\"\n"
                                 "\t\telements = {\n\t\t\t10.244.2.11 . udp . 80\n"),
            std::string::npos)
      << nft.definitions;
}

TEST(RenderPolicy, CommentsAreBoundedAndQuoteFree) {
  NodePolicyState s = SmallState();
  s.pods[0].ingress.network_policy.rules[0].origin = std::string(300, 'q') + "\"";
  PolicyNft nft = RenderPolicy({s, {}});
  EXPECT_NE(nft.definitions.find("comment \"" + std::string(127, 'q') + "\""), std::string::npos);
  EXPECT_EQ(nft.definitions.find(std::string(128, 'q')), std::string::npos);
}

TEST(RenderDispatchDelta, AddsAndReplacesOnlyWhatChanged) {
  PolicyRenderInput before{SmallState(), {}};
  PolicyRenderInput after = before;
  after.local_pods = {{"x", "new", {Ip("10.244.1.20")}}, {"x", "a", {Ip("10.244.1.10")}}};
  std::string delta = RenderDispatchDelta(DispatchOf(before), DispatchOf(after));
  EXPECT_EQ(delta, "add element inet egret np_pending4 { 10.244.1.20 comment \"x/new\" }\n");
  EXPECT_EQ(RenderDispatchDelta(DispatchOf(after), DispatchOf(after)), "");
  // The address changes hands: x/a's entries go, the new owner is pending.
  PolicyRenderInput moved = before;
  moved.local_pods = {{"x", "new", {Ip("10.244.1.10")}}};
  delta = RenderDispatchDelta(DispatchOf(before), DispatchOf(moved));
  EXPECT_NE(delta.find("delete element inet egret np_ingress4 { 10.244.1.10 }\n"),
            std::string::npos);
  EXPECT_NE(delta.find("delete element inet egret np_egress4 { 10.244.1.10 }\n"),
            std::string::npos);
  EXPECT_NE(delta.find("add element inet egret np_pending4 { 10.244.1.10 comment \"x/new\" }"),
            std::string::npos);
  EXPECT_LT(delta.find("delete"), delta.find("add"));
}

// Every scenario of the conformance model renders: one entry per selected, non-trivial pod
// direction, and every set the state lists is declared.
TEST(RenderPolicy, RendersEveryConformanceScenario) {
  for (const testing::Scenario& sc : testing::Scenarios()) {
    PolicyCluster c = testing::ConformanceCluster();
    testing::AddPolicies(&c, sc.yaml);
    for (const NodePolicyState& st : testing::CompileAll(c)) {
      PolicyNft nft = RenderPolicy({st, {}});
      size_t want_in = 0;
      for (const PodProgram& p : st.pods) {
        if (!p.ingress.AcceptsAll()) want_in += p.addresses.size();
      }
      EXPECT_EQ(nft.dispatch.ingress.size(), want_in) << sc.name << " " << st.node;
      for (const AddressSet& s : st.address_sets) {
        EXPECT_NE(nft.definitions.find("set " + s.name + "4 {"), std::string::npos) << sc.name;
      }
      EXPECT_TRUE(nft.dispatch.pending.empty());
    }
  }
}

}  // namespace
}  // namespace egret::core::netpol
