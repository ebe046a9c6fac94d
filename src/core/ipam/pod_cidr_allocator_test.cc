// Node pod CIDR allocation: configuration checks, lowest-free choice per family, blocks of
// other sizes, exhaustion, and the bit arithmetic underneath.
#include "core/ipam/pod_cidr_allocator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ipam/address_bits.h"

namespace egret::core::ipam {
namespace {

using model::Cidr;
using model::Family;
using model::IpAddress;

Cidr C(const std::string& text) {
  auto c = Cidr::Parse(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(Cidr());
}

PodCidrAllocator Make(std::vector<Cidr> cidrs, int v4 = 24, int v6 = 64) {
  auto a = PodCidrAllocator::Create(
      {.cluster_cidrs = std::move(cidrs), .node_mask_v4 = v4, .node_mask_v6 = v6});
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return *a;
}

std::string CreateError(std::vector<Cidr> cidrs, int v4 = 24, int v6 = 64) {
  auto a = PodCidrAllocator::Create(
      {.cluster_cidrs = std::move(cidrs), .node_mask_v4 = v4, .node_mask_v6 = v6});
  EXPECT_FALSE(a.ok());
  return a.ok() ? "" : a.status().message();
}

TEST(AddressBits, ReadsAndWritesFieldsAcrossBytes) {
  IpAddress ip = *IpAddress::Parse("10.244.171.0");
  EXPECT_EQ(BitsAt(ip, 16, 8), 171u);
  EXPECT_EQ(BitsAt(ip, 12, 8), 0x4au);  // low nibble of 244, high nibble of 171
  EXPECT_EQ(WithBits(ip, 16, 8, 5).ToString(), "10.244.5.0");
  EXPECT_EQ(WithBits(ip, 20, 6, 0x3f).ToString(), "10.244.175.192");  // spans two octets
  IpAddress v6 = *IpAddress::Parse("fd00::");
  EXPECT_EQ(WithBits(v6, 64, 64, UINT64_MAX).ToString(), "fd00::ffff:ffff:ffff:ffff");
  EXPECT_EQ(BitsAt(*IpAddress::Parse("fd00::ffff:ffff:ffff:fffe"), 64, 64), UINT64_MAX - 1);
}

TEST(PodCidrAllocator, ValidConfigurations) {
  EXPECT_EQ(Make({C("10.244.0.0/16")}).Capacity(Family::kV4), 256u);
  PodCidrAllocator dual = Make({C("10.244.0.0/16"), C("fd00:10:244::/56")});
  EXPECT_EQ(dual.Capacity(Family::kV6), 256u);
  EXPECT_EQ(Make({C("10.0.0.0/8")}, 30).Capacity(Family::kV4), 1u << 22);
  EXPECT_EQ(Make({C("fd00::/32")}, 24, 64).Capacity(Family::kV6), uint64_t{1} << 32);
}

TEST(PodCidrAllocator, RefusesBadConfigurations) {
  EXPECT_EQ(CreateError({}), "no cluster CIDR: give one IPv4 and/or one IPv6 CIDR");
  EXPECT_EQ(CreateError({C("10.244.0.0/16"), C("10.245.0.0/16")}),
            "cluster CIDR \"10.245.0.0/16\" is a second IPv4 CIDR: give at most one per IP "
            "family");
  EXPECT_EQ(CreateError({C("fd00::/48"), C("10.0.0.0/16"), C("fd01::/48")}),
            "cluster CIDR \"fd01::/48\" is a second IPv6 CIDR: give at most one per IP family");
  EXPECT_EQ(CreateError({C("10.244.0.0/16")}, 16),
            "cluster CIDR \"10.244.0.0/16\": node mask /16 must be longer than the cluster "
            "prefix /16");
  EXPECT_EQ(CreateError({C("10.244.0.0/16")}, 31),
            "cluster CIDR \"10.244.0.0/16\": node mask /31 leaves no pod address: use /30 or "
            "shorter for IPv4");
  EXPECT_EQ(CreateError({C("fd00::/64")}, 24, 127),
            "cluster CIDR \"fd00::/64\": node mask /127 leaves no pod address: use /126 or "
            "shorter for IPv6");
  EXPECT_EQ(CreateError({C("fd00::/16")}, 24, 64),
            "cluster CIDR \"fd00::/16\": node mask /64 is more than 32 bits longer than the "
            "cluster prefix: use /48 or shorter");
}

TEST(PodCidrAllocator, GivesLowestFreeBlockPerFamily) {
  PodCidrAllocator a = Make({C("10.244.0.0/16"), C("fd00:10:244::/56")});
  auto first = a.Allocate({});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].ToString(), "10.244.0.0/24");
  EXPECT_EQ((*first)[1].ToString(), "fd00:10:244::/64");

  std::vector<Cidr> assigned = {C("10.244.0.0/24"), C("10.244.2.0/24"), C("fd00:10:244::/64")};
  auto next = a.Allocate(assigned);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)[0].ToString(), "10.244.1.0/24");  // the gap, not after the highest
  EXPECT_EQ((*next)[1].ToString(), "fd00:10:244:1::/64");
}

TEST(PodCidrAllocator, AccountsForBlocksOfOtherSizesAndIgnoresOutsiders) {
  PodCidrAllocator a = Make({C("10.244.0.0/16")});
  // A /23 held by one node covers two /24 indices; a /25 still blocks its whole /24; CIDRs
  // outside the cluster CIDR and of the other family do not matter.
  std::vector<Cidr> assigned = {C("10.244.0.0/23"), C("10.244.2.128/25"), C("10.245.3.0/24"),
                                C("fd00::/64")};
  auto c = a.AllocateFamily(Family::kV4, assigned);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ToString(), "10.244.3.0/24");
  // A CIDR covering the whole cluster CIDR leaves nothing.
  EXPECT_FALSE(a.AllocateFamily(Family::kV4, std::vector<Cidr>{C("10.0.0.0/8")}).ok());
}

TEST(PodCidrAllocator, ReportsExhaustion) {
  PodCidrAllocator a = Make({C("10.244.0.0/22")});
  std::vector<Cidr> assigned;
  for (int i = 0; i < 4; ++i) {
    auto c = a.AllocateFamily(Family::kV4, assigned);
    ASSERT_TRUE(c.ok()) << i;
    assigned.push_back(*c);
  }
  EXPECT_EQ(assigned.back().ToString(), "10.244.3.0/24");
  auto full = a.AllocateFamily(Family::kV4, assigned);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(full.status().message(),
            "cluster CIDR \"10.244.0.0/22\" has no free /24 node CIDR: all 4 are assigned");
  // Releasing one (removing it from the assigned set) makes it the answer again.
  assigned.erase(assigned.begin() + 1);
  EXPECT_EQ(a.AllocateFamily(Family::kV4, assigned)->ToString(), "10.244.1.0/24");
}

TEST(PodCidrAllocator, MissingFamilyIsNotFound) {
  PodCidrAllocator a = Make({C("10.244.0.0/16")});
  auto c = a.AllocateFamily(Family::kV6, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kNotFound);
  EXPECT_EQ(c.status().message(), "the cluster has no IPv6 pod CIDR");
}

TEST(PodCidrAllocator, ChecksNodeCidrs) {
  PodCidrAllocator a = Make({C("10.244.0.0/16")});
  EXPECT_TRUE(a.CheckNodeCidr(C("10.244.7.0/24")).ok());
  EXPECT_EQ(a.CheckNodeCidr(C("10.245.7.0/24")).message(),
            "pod CIDR \"10.245.7.0/24\" is outside the cluster CIDR \"10.244.0.0/16\"");
  EXPECT_EQ(a.CheckNodeCidr(C("10.244.8.0/23")).message(),
            "pod CIDR \"10.244.8.0/23\" has prefix /23: node CIDRs of this cluster are /24");
  EXPECT_EQ(a.CheckNodeCidr(C("fd00::/64")).message(),
            "pod CIDR \"fd00::/64\" is IPv6, but the cluster has no CIDR of that family");
}

}  // namespace
}  // namespace egret::core::ipam
