// Truth tables written by hand from the API semantics, checked against the evaluator so that the
// oracle of the property test is itself pinned. Rows are sources, columns the destinations
// x/a x/b x/c  y/a y/b y/c  z/a z/b z/c; '.' allowed, 'X' denied.
#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"

namespace egret::core::netpol::testing {
namespace {

using model::Family;
using model::Protocol;

PolicyCluster With(std::string_view scenario) {
  PolicyCluster c = ConformanceCluster();
  for (const Scenario& s : Scenarios()) {
    if (s.name == scenario) AddPolicies(&c, s.yaml);
  }
  EXPECT_TRUE(!c.network_policies.empty() || !c.admin_policies.empty() || c.baseline)
      << "no scenario " << scenario;
  return c;
}

std::string Rows(std::string_view x, std::string_view y, std::string_view z) {
  std::string out;
  const std::string_view groups[] = {x, y, z};
  for (int ns = 0; ns < 3; ++ns) {
    for (char pod : {'a', 'b', 'c'}) {
      out += std::string(1, "xyz"[ns]) + "/" + pod + " " + std::string(groups[ns]) + "\n";
    }
  }
  return out;
}

constexpr std::string_view kOpen = "... ... ...";

TEST(TruthTableTest, NoPolicyAllowsAll) {
  EXPECT_EQ(EvaluatorMatrix(ConformanceCluster(), Protocol::kSCTP, 82), Rows(kOpen, kOpen, kOpen));
}

TEST(TruthTableTest, DenyAllIngress) {
  EXPECT_EQ(EvaluatorMatrix(With("deny-all-ingress"), Protocol::kTCP, 80),
            Rows("XXX ... ...", "XXX ... ...", "XXX ... ..."));
}

TEST(TruthTableTest, DenyAllEgress) {
  EXPECT_EQ(EvaluatorMatrix(With("deny-all-egress"), Protocol::kUDP, 81),
            Rows("XXX XXX XXX", kOpen, kOpen));
}

TEST(TruthTableTest, AndPeer) {
  EXPECT_EQ(EvaluatorMatrix(With("and-peer"), Protocol::kTCP, 80),
            "x/a X.. ... ...\nx/b X.. ... ...\nx/c X.. ... ...\n"
            "y/a X.. ... ...\ny/b ... ... ...\ny/c X.. ... ...\n"
            "z/a X.. ... ...\nz/b X.. ... ...\nz/c X.. ... ...\n");
}

TEST(TruthTableTest, OrPeers) {
  EXPECT_EQ(EvaluatorMatrix(With("or-peers"), Protocol::kTCP, 80),
            "x/a X.. ... ...\nx/b ... ... ...\nx/c X.. ... ...\n"
            "y/a ... ... ...\ny/b ... ... ...\ny/c ... ... ...\n"
            "z/a X.. ... ...\nz/b X.. ... ...\nz/c X.. ... ...\n");
}

TEST(TruthTableTest, NamedPortIngress) {
  PolicyCluster c = With("named-port-ingress");
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80), Rows(kOpen, kOpen, kOpen));
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 81),
            Rows("X.. ... ...", "X.. ... ...", "X.. ... ..."));
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kUDP, 80),
            Rows("X.. ... ...", "X.. ... ...", "X.. ... ..."));
}

TEST(TruthTableTest, NamedPortWithOtherProtocolMatchesNothing) {
  // serve-80-tcp is a TCP port; asking for it over UDP resolves to nothing.
  PolicyCluster c = With("named-port-protocol-mismatch");
  for (Protocol p : {Protocol::kTCP, Protocol::kUDP}) {
    EXPECT_EQ(EvaluatorMatrix(c, p, 80), Rows("XXX ... ...", "XXX ... ...", "XXX ... ..."));
  }
}

TEST(TruthTableTest, EndPortRanges) {
  PolicyCluster c = With("end-port");  // UDP 80-81, TCP 81-90
  std::string closed = Rows("XXX ... ...", "XXX ... ...", "XXX ... ...");
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80), closed);
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 81), Rows(kOpen, kOpen, kOpen));
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kUDP, 80), Rows(kOpen, kOpen, kOpen));
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kSCTP, 80), closed);
}

TEST(TruthTableTest, IpBlockExceptAppliesToPodAddresses) {
  // 10.244.0.0/16 except 10.244.1.0/24: the pods on n1 (x/a, y/a, z/a) are cut out.
  PolicyCluster c = With("ipblock-except");
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80),
            "x/a XXX ... ...\nx/b ... ... ...\nx/c ... ... ...\n"
            "y/a XXX ... ...\ny/b ... ... ...\ny/c ... ... ...\n"
            "z/a XXX ... ...\nz/b ... ... ...\nz/c ... ... ...\n");
  // An IPv4 block says nothing about IPv6 sources.
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80, Family::kV6),
            Rows("XXX ... ...", "XXX ... ...", "XXX ... ..."));
}

TEST(TruthTableTest, IngressAndEgress) {
  PolicyCluster c = With("ingress-and-egress");  // x/a: in from y; out to z on TCP 80
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80),
            "x/a XXX XXX ...\nx/b X.. ... ...\nx/c X.. ... ...\n"
            "y/a ... ... ...\ny/b ... ... ...\ny/c ... ... ...\n"
            "z/a X.. ... ...\nz/b X.. ... ...\nz/c X.. ... ...\n");
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 81),
            "x/a XXX XXX XXX\nx/b X.. ... ...\nx/c X.. ... ...\n"
            "y/a ... ... ...\ny/b ... ... ...\ny/c ... ... ...\n"
            "z/a X.. ... ...\nz/b X.. ... ...\nz/c X.. ... ...\n");
}

TEST(TruthTableTest, StackedPoliciesUnite) {
  PolicyCluster c = With("stacked-union");  // x/a from x/b; all of x from z on TCP 81
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 80),
            "x/a XXX ... ...\nx/b .XX ... ...\nx/c XXX ... ...\n"
            "y/a XXX ... ...\ny/b XXX ... ...\ny/c XXX ... ...\n"
            "z/a XXX ... ...\nz/b XXX ... ...\nz/c XXX ... ...\n");
  EXPECT_EQ(EvaluatorMatrix(c, Protocol::kTCP, 81),
            "x/a XXX ... ...\nx/b .XX ... ...\nx/c XXX ... ...\n"
            "y/a XXX ... ...\ny/b XXX ... ...\ny/c XXX ... ...\n"
            "z/a ... ... ...\nz/b ... ... ...\nz/c ... ... ...\n");
}

TEST(TruthTableTest, AdminPriorities) {
  EXPECT_EQ(EvaluatorMatrix(With("anp-priorities"), Protocol::kTCP, 80),
            "x/a ... ... ...\nx/b ... ... ...\nx/c ... ... ...\n"
            "y/a ... ... ...\ny/b XXX ... ...\ny/c XXX ... ...\n"
            "z/a ... ... ...\nz/b ... ... ...\nz/c ... ... ...\n");
}

TEST(TruthTableTest, AdminEqualPriorityOrderedByName) {
  EXPECT_EQ(EvaluatorMatrix(With("anp-equal-priority-by-name"), Protocol::kTCP, 80),
            Rows(kOpen, "XXX ... ...", kOpen));
}

TEST(TruthTableTest, AdminPassLeavesItToNetworkPolicy) {
  // From y: Pass, then the NetworkPolicy allows pods named a; everything else: Deny.
  EXPECT_EQ(EvaluatorMatrix(With("anp-pass-to-np"), Protocol::kTCP, 80),
            "x/a XXX ... ...\nx/b XXX ... ...\nx/c XXX ... ...\n"
            "y/a ... ... ...\ny/b XXX ... ...\ny/c XXX ... ...\n"
            "z/a XXX ... ...\nz/b XXX ... ...\nz/c XXX ... ...\n");
}

TEST(TruthTableTest, AdminPassWithoutNetworkPolicyReachesBaseline) {
  // ANP: Pass from z, Deny from y. Baseline: Allow from z/a, Deny from z.
  EXPECT_EQ(EvaluatorMatrix(With("anp-pass-np-banp"), Protocol::kUDP, 80),
            "x/a ... ... ...\nx/b ... ... ...\nx/c ... ... ...\n"
            "y/a XXX ... ...\ny/b XXX ... ...\ny/c XXX ... ...\n"
            "z/a ... ... ...\nz/b XXX ... ...\nz/c XXX ... ...\n");
}

TEST(TruthTableTest, BaselineOnlyWhereNetworkPolicyIsSilent) {
  // x/a is isolated by a NetworkPolicy allowing y; x/b and x/c fall to the baseline's Deny.
  EXPECT_EQ(EvaluatorMatrix(With("banp-under-np"), Protocol::kTCP, 81),
            Rows("XXX ... ...", ".XX ... ...", "XXX ... ..."));
}

}  // namespace
}  // namespace egret::core::netpol::testing
