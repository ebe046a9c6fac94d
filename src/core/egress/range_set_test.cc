// Address range sets: normalization, set algebra at the edges of the address space, IPv6 carry.
#include "core/egress/range_set.h"

#include <gtest/gtest.h>

#include "core/egress/egress_test_util.h"

namespace egret::core::egress {
namespace {

using model::Family;
using testing::Ip;
using testing::Net;

RangeSet V4(std::vector<std::string> cidrs) {
  std::vector<model::Cidr> c;
  for (const std::string& s : cidrs) c.push_back(Net(s));
  return RangeSet::Of(Family::kV4, c);
}

TEST(RangeSet, NormalizesOverlapsAndNeighboursAndSkipsOtherFamily) {
  std::vector<model::Cidr> c = {Net("10.0.1.0/24"), Net("10.0.0.0/24"), Net("10.0.0.128/25"),
                                Net("10.0.3.0/24"), Net("fd00::/64")};
  EXPECT_EQ(RangeSet::Of(Family::kV4, c).ToString(), "10.0.0.0-10.0.1.255,10.0.3.0-10.0.3.255");
  std::vector<model::IpAddress> ips = {Ip("10.0.0.2"), Ip("10.0.0.1"), Ip("fd00::1")};
  EXPECT_EQ(RangeSet::Of(Family::kV4, ips).ToString(), "10.0.0.1-10.0.0.2");
  EXPECT_EQ(RangeSet::Of(Family::kV6, ips).ToString(), "fd00::1-fd00::1");
}

TEST(RangeSet, MinusAtTheEdgesOfTheSpace) {
  RangeSet all = RangeSet::All(Family::kV4);
  EXPECT_EQ(all.Minus(V4({"0.0.0.0/8", "255.0.0.0/8"})).ToString(), "1.0.0.0-254.255.255.255");
  EXPECT_EQ(all.Minus(V4({"10.0.0.0/8"})).ToString(),
            "0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255");
  EXPECT_TRUE(all.Minus(V4({"0.0.0.0/0"})).empty());
  EXPECT_EQ(V4({"10.0.0.0/24"}).Minus(V4({"10.0.0.0/26", "10.0.0.128/26"})).ToString(),
            "10.0.0.64-10.0.0.127,10.0.0.192-10.0.0.255");
}

TEST(RangeSet, IntersectAndUnion) {
  RangeSet a = V4({"10.0.0.0/16", "192.168.0.0/24"});
  RangeSet b = V4({"10.0.255.0/24", "10.1.0.0/16", "192.168.0.128/25"});
  EXPECT_EQ(a.Intersect(b).ToString(), "10.0.255.0-10.0.255.255,192.168.0.128-192.168.0.255");
  EXPECT_EQ(a.Union(b).ToString(), "10.0.0.0-10.1.255.255,192.168.0.0-192.168.0.255");
  EXPECT_TRUE(a.Contains(Ip("10.0.7.7")));
  EXPECT_FALSE(a.Contains(Ip("10.2.0.0")));
}

TEST(RangeSet, Ipv6CarryAndBorrow) {
  EXPECT_EQ(NextAddress(Ip("fd00::ffff")).ToString(), "fd00::1:0");
  EXPECT_EQ(PrevAddress(Ip("fd00::1:0")).ToString(), "fd00::ffff");
  EXPECT_EQ(NextAddress(Ip("10.0.0.255")).ToString(), "10.0.1.0");
  EXPECT_EQ(PrevAddress(Ip("10.0.1.0")).ToString(), "10.0.0.255");
  std::vector<model::Cidr> pods = {Net("fd00:10::/64")};
  EXPECT_EQ(RangeSet::All(Family::kV6).Minus(RangeSet::Of(Family::kV6, pods)).ToString(),
            "::-fd00:f:ffff:ffff:ffff:ffff:ffff:ffff,"
            "fd00:10:0:1::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

}  // namespace
}  // namespace egret::core::egress
