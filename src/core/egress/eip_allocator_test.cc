// EIP allocation: default EIPs, explicit EIPs, useNodeIP, rr (stability, exhaustion, dual-stack
// pairing), and pool usage.
#include "core/egress/eip_allocator.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using testing::Ip;
using testing::MakeGateway;
using testing::Np;
using testing::Pool;

AllocationRequest Request(const std::string& name, model::AllocatorPolicy policy,
                          EipPair previous = {}) {
  AllocationRequest r;
  r.id = Np("shop", name);
  r.egress_ip.allocator_policy = policy;
  r.previous = std::move(previous);
  return r;
}

AllocationRequest Rr(const std::string& name, EipPair previous = {}) {
  return Request(name, model::AllocatorPolicy::kRoundRobin, std::move(previous));
}

AllocationRequest Default(const std::string& name) {
  return Request(name, model::AllocatorPolicy::kDefault);
}

AllocationRequest Explicit(const std::string& name, std::optional<std::string> v4,
                           std::optional<std::string> v6 = std::nullopt) {
  AllocationRequest r = Default(name);
  if (v4) r.egress_ip.ipv4 = Ip(*v4);
  if (v6) r.egress_ip.ipv6 = Ip(*v6);
  return r;
}

EipPair V4(const std::string& ip) { return {Ip(ip), std::nullopt}; }
EipPair Dual(const std::string& v4, const std::string& v6) { return {Ip(v4), Ip(v6)}; }

// The EIP text of each assignment ("" when none).
std::vector<std::string> Eips(const GatewayAllocation& a) {
  std::vector<std::string> out;
  for (const EipAssignment& x : a.assignments) out.push_back(x.eip.ToString());
  return out;
}

TEST(DefaultEip, GivenOrFirstOrPartner) {
  model::EgressGatewayPools pools;
  EXPECT_TRUE(DefaultEip(pools).empty());
  pools.ipv4 = Pool({"10.6.1.21-10.6.1.24"});
  EXPECT_EQ(DefaultEip(pools).ToString(), "10.6.1.21");  // absent: the first address
  pools.ipv4_default_eip = Ip("10.6.1.23");
  EXPECT_EQ(DefaultEip(pools).ToString(), "10.6.1.23");
  pools.ipv6 = Pool({"fd00::21", "fd00::22-fd00::24"});
  EXPECT_EQ(DefaultEip(pools).ToString(), "10.6.1.23/fd00::23");  // the partner by index
  pools.ipv4_default_eip.reset();
  pools.ipv6_default_eip = Ip("fd00::22");
  EXPECT_EQ(DefaultEip(pools).ToString(), "10.6.1.22/fd00::22");
  pools.ipv6_default_eip.reset();
  EXPECT_EQ(DefaultEip(pools).ToString(), "10.6.1.21/fd00::21");
}

TEST(AllocateEips, DefaultAllocatorSharesTheDefaultEip) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.25"});
  std::vector<AllocationRequest> req = {Default("a"), Default("b")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"10.6.1.21", "10.6.1.21"}));
  EXPECT_EQ(a.assignments[0].mode, EipMode::kEip);
  EXPECT_EQ(a.usage.ipv4_total, 5);
  EXPECT_EQ(a.usage.ipv4_free, 4);
  EXPECT_EQ(a.usage.ipv6_total, 0);
}

TEST(AllocateEips, ExplicitEipInPool) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.25"});
  std::vector<AllocationRequest> req = {Explicit("a", "10.6.1.24")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"10.6.1.24"}));
  EXPECT_TRUE(a.assignments[0].problems.empty());
}

TEST(AllocateEips, ExplicitEipOutsidePoolIsAProblem) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.25"});
  std::vector<AllocationRequest> req = {Explicit("a", "10.9.9.9"),
                                        Explicit("b", std::nullopt, "fd00::1")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(a.assignments[0].mode, EipMode::kNone);
  ASSERT_EQ(a.assignments[0].problems.size(), 1u);
  EXPECT_EQ(a.assignments[0].problems[0].reason, "EipNotInPool");
  EXPECT_EQ(a.assignments[0].problems[0].message,
            "spec.egressIP.ipv4 \"10.9.9.9\" is not in the IPv4 pool of EgressGateway \"gw\": "
            "use an address of its spec.ippools.ipv4");
  ASSERT_EQ(a.assignments[1].problems.size(), 1u);
  EXPECT_NE(a.assignments[1].problems[0].message.find("add it to spec.ippools.ipv6"),
            std::string::npos);
  EXPECT_EQ(a.usage.ipv4_free, 5);
}

TEST(AllocateEips, ExplicitSingleAddressBringsItsPartnerInDualStack) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.23"}, {"fd00::21-fd00::23"});
  std::vector<AllocationRequest> req = {Explicit("a", "10.6.1.22"),
                                        Explicit("b", std::nullopt, "fd00::23"),
                                        Explicit("c", "10.6.1.21", "fd00::23")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"10.6.1.22/fd00::22", "10.6.1.23/fd00::23",
                                               "10.6.1.21/fd00::23"}));
}

TEST(AllocateEips, UseNodeIpHasNoEipAndNeedsNoPool) {
  model::EgressGateway gw = MakeGateway("gw", {});
  AllocationRequest r = Default("a");
  r.egress_ip.use_node_ip = true;
  std::vector<AllocationRequest> req = {r};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(a.assignments[0].mode, EipMode::kNodeIp);
  EXPECT_TRUE(a.assignments[0].eip.empty());
  EXPECT_TRUE(a.assignments[0].problems.empty());
}

TEST(AllocateEips, NoPoolIsAProblemForDefaultAndRr) {
  model::EgressGateway gw = MakeGateway("gw", {});
  std::vector<AllocationRequest> req = {Default("a"), Rr("b")};
  GatewayAllocation a = AllocateEips(gw, req);
  for (const EipAssignment& x : a.assignments) {
    EXPECT_EQ(x.mode, EipMode::kNone);
    ASSERT_EQ(x.problems.size(), 1u);
    EXPECT_EQ(x.problems[0].reason, "NoEipPool");
    EXPECT_EQ(x.problems[0].message,
              "EgressGateway \"gw\" has no EIP pool (spec.ippools is empty): add addresses to it "
              "or set spec.egressIP.useNodeIP: true");
  }
}

TEST(AllocateEips, RrGivesEachPolicyItsOwnAddressSkippingReservedOnes) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.26"});
  // The default EIP (.21) and the explicit EIP (.23) are not handed out by rr.
  std::vector<AllocationRequest> req = {Rr("c"), Explicit("x", "10.6.1.23"), Rr("a"), Rr("b")};
  GatewayAllocation a = AllocateEips(gw, req);
  // rr fills in PolicyId order: a, b, c.
  EXPECT_EQ(Eips(a),
            (std::vector<std::string>{"10.6.1.25", "10.6.1.23", "10.6.1.22", "10.6.1.24"}));
  EXPECT_EQ(a.usage.ipv4_free, 2);  // .21 (no default policy) and .26
}

TEST(AllocateEips, RrIsStableWhenAPolicyIsAddedOrRemoved) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.26"});
  std::vector<AllocationRequest> first = {Rr("b"), Rr("c"), Rr("d")};
  EXPECT_EQ(Eips(AllocateEips(gw, first)),
            (std::vector<std::string>{"10.6.1.22", "10.6.1.23", "10.6.1.24"}));
  // "a" sorts first, but b, c and d keep their EIPs (from status); a gets the lowest free one.
  std::vector<AllocationRequest> added = {Rr("a"), Rr("b", V4("10.6.1.22")),
                                          Rr("c", V4("10.6.1.23")), Rr("d", V4("10.6.1.24"))};
  EXPECT_EQ(Eips(AllocateEips(gw, added)),
            (std::vector<std::string>{"10.6.1.25", "10.6.1.22", "10.6.1.23", "10.6.1.24"}));
  // "c" goes away: nobody moves; the next new policy takes the hole.
  std::vector<AllocationRequest> removed = {Rr("a", V4("10.6.1.25")), Rr("b", V4("10.6.1.22")),
                                            Rr("d", V4("10.6.1.24")), Rr("e")};
  EXPECT_EQ(Eips(AllocateEips(gw, removed)),
            (std::vector<std::string>{"10.6.1.25", "10.6.1.22", "10.6.1.24", "10.6.1.23"}));
}

TEST(AllocateEips, RrDoesNotKeepInvalidPreviousEips) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.26"});
  std::vector<AllocationRequest> req = {
      Rr("a", V4("10.9.0.1")),   // from another gateway's pool
      Rr("b", V4("10.6.1.21")),  // the default EIP: rr policies do not share it
      Rr("c", V4("10.6.1.24")),  // kept
      Rr("d", V4("10.6.1.24")),  // claimed by c first (PolicyId order): moves
  };
  EXPECT_EQ(Eips(AllocateEips(gw, req)),
            (std::vector<std::string>{"10.6.1.22", "10.6.1.23", "10.6.1.24", "10.6.1.25"}));
}

TEST(AllocateEips, ExplicitEipDoesNotEvictAnRrPolicy) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.26"});
  std::vector<AllocationRequest> req = {Rr("a", V4("10.6.1.23")), Explicit("x", "10.6.1.23")};
  EXPECT_EQ(Eips(AllocateEips(gw, req)), (std::vector<std::string>{"10.6.1.23", "10.6.1.23"}));
}

TEST(AllocateEips, ExhaustionLeavesAClearProblem) {
  model::EgressGateway gw = MakeGateway("gw", {"10.6.1.21-10.6.1.23"});
  std::vector<AllocationRequest> req = {Default("z"), Rr("a"), Rr("b"), Rr("c")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"10.6.1.21", "10.6.1.22", "10.6.1.23", ""}));
  const EipAssignment& left = a.assignments[3];
  EXPECT_EQ(left.mode, EipMode::kNone);
  ASSERT_EQ(left.problems.size(), 1u);
  EXPECT_EQ(left.problems[0].reason, "PoolExhausted");
  EXPECT_EQ(left.problems[0].message,
            "no free address in the EIP pool of EgressGateway \"gw\" for allocatorPolicy rr: all "
            "3 are taken (by the default EIP, explicit EIPs and other rr policies); add addresses "
            "to spec.ippools, or use allocatorPolicy: default");
  EXPECT_EQ(a.usage.ipv4_free, 0);
}

TEST(AllocateEips, DualStackPairsByPoolIndex) {
  // Index order: 10.6.1.21, 10.6.1.40, 10.6.1.41 pair with fd00::5, fd00::21, fd00::22.
  model::EgressGateway gw =
      MakeGateway("gw", {"10.6.1.21", "10.6.1.40/31"}, {"fd00::5", "fd00::21-fd00::22"});
  std::vector<AllocationRequest> req = {Default("d"), Rr("a"),
                                        Rr("b", Dual("10.6.1.41", "fd00::5"))};
  GatewayAllocation a = AllocateEips(gw, req);
  // b keeps its slot by its IPv4 address and is re-paired with that slot's IPv6 partner.
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"10.6.1.21/fd00::5", "10.6.1.40/fd00::21",
                                               "10.6.1.41/fd00::22"}));
  EXPECT_EQ(a.usage.ipv4_free, 0);
  EXPECT_EQ(a.usage.ipv6_free, 0);
}

TEST(AllocateEips, HugeIpv6PoolCountsSaturate) {
  model::EgressGateway gw = MakeGateway("gw", {}, {"fd00::/64"});
  std::vector<AllocationRequest> req = {Rr("a")};
  GatewayAllocation a = AllocateEips(gw, req);
  EXPECT_EQ(Eips(a), (std::vector<std::string>{"fd00::1"}));  // fd00:: is the default EIP
  EXPECT_EQ(a.usage.ipv6_total, INT64_MAX);
  EXPECT_EQ(a.usage.ipv6_free, INT64_MAX - 1);
}

}  // namespace
}  // namespace egret::core::egress
