// Pod address allocation: reserved addresses, round-robin order and wrap-around, exhaustion,
// IPv4 and IPv6, and checks of requested addresses.
#include "core/ipam/address_allocator.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace egret::core::ipam {
namespace {

using model::Cidr;
using model::IpAddress;

IpAddress Ip(const std::string& text) {
  auto ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

AddressAllocator Make(const std::string& cidr) {
  auto a = AddressAllocator::Create(*Cidr::Parse(cidr));
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return *a;
}

std::string NextText(const AddressAllocator& a, const std::set<IpAddress>& allocated,
                     std::optional<IpAddress> last = std::nullopt) {
  auto ip = a.Next(allocated, last);
  return ip.ok() ? ip->ToString() : ip.status().ToString();
}

TEST(AddressAllocator, RefusesCidrsWithoutRoomForPods) {
  EXPECT_TRUE(AddressAllocator::Create(*Cidr::Parse("10.0.0.0/30")).ok());
  auto v4 = AddressAllocator::Create(*Cidr::Parse("10.0.0.0/31"));
  ASSERT_FALSE(v4.ok());
  EXPECT_EQ(v4.status().message(),
            "pod CIDR \"10.0.0.0/31\" has no room for pods: use /30 or shorter");
  EXPECT_TRUE(AddressAllocator::Create(*Cidr::Parse("fd00::/126")).ok());
  auto v6 = AddressAllocator::Create(*Cidr::Parse("fd00::/127"));
  ASSERT_FALSE(v6.ok());
  EXPECT_EQ(v6.status().message(),
            "pod CIDR \"fd00::/127\" has no room for pods: use /126 or shorter");
}

TEST(AddressAllocator, ReservesNetworkGatewayAndIpv4Broadcast) {
  AddressAllocator v4 = Make("10.244.1.0/24");
  EXPECT_EQ(v4.gateway().ToString(), "10.244.1.1");
  ASSERT_EQ(v4.Reserved().size(), 3u);
  EXPECT_EQ(v4.Reserved()[2].ToString(), "10.244.1.255");
  EXPECT_TRUE(v4.IsReserved(Ip("10.244.1.0")));
  EXPECT_TRUE(v4.IsReserved(Ip("10.244.1.255")));
  EXPECT_FALSE(v4.IsReserved(Ip("10.244.1.254")));
  EXPECT_FALSE(v4.IsReserved(Ip("10.244.2.0")));  // outside: not ours to reserve
  EXPECT_EQ(v4.Capacity(), 253u);
  EXPECT_EQ(NextText(v4, {}), "10.244.1.2");

  AddressAllocator v6 = Make("fd00:10:244:1::/64");
  EXPECT_EQ(v6.gateway().ToString(), "fd00:10:244:1::1");
  EXPECT_EQ(v6.Reserved().size(), 2u);  // no broadcast in IPv6
  EXPECT_FALSE(v6.IsReserved(Ip("fd00:10:244:1:ffff:ffff:ffff:ffff")));
  EXPECT_EQ(v6.Capacity(), UINT64_MAX - 1);
  EXPECT_EQ(NextText(v6, {}), "fd00:10:244:1::2");
}

TEST(AddressAllocator, GoesRoundRobinFromTheLastAddress) {
  AddressAllocator a = Make("10.244.1.0/24");
  std::set<IpAddress> allocated = {Ip("10.244.1.2"), Ip("10.244.1.4")};
  // 10.244.1.3 is free but before the cursor: a just-freed address is not reused at once.
  EXPECT_EQ(NextText(a, allocated, Ip("10.244.1.4")), "10.244.1.5");
  // Allocated addresses after the cursor are skipped.
  allocated.insert(Ip("10.244.1.5"));
  allocated.insert(Ip("10.244.1.6"));
  EXPECT_EQ(NextText(a, allocated, Ip("10.244.1.4")), "10.244.1.7");
  // A cursor outside the CIDR or on a reserved address restarts at the first usable address.
  EXPECT_EQ(NextText(a, allocated, Ip("192.168.0.1")), "10.244.1.3");
  EXPECT_EQ(NextText(a, allocated, Ip("fd00::1")), "10.244.1.3");
}

TEST(AddressAllocator, WrapsAroundPastTheEnd) {
  AddressAllocator a = Make("10.244.1.0/24");
  std::set<IpAddress> allocated = {Ip("10.244.1.2"), Ip("10.244.1.253")};
  // After the last usable address (.254) comes the first usable one that is free.
  EXPECT_EQ(NextText(a, allocated, Ip("10.244.1.254")), "10.244.1.3");
  EXPECT_EQ(NextText(a, allocated, Ip("10.244.1.252")), "10.244.1.254");
  AddressAllocator v6 = Make("fd00::/64");
  EXPECT_EQ(NextText(v6, {Ip("fd00::2")}, Ip("fd00::ffff:ffff:ffff:ffff")), "fd00::3");
}

TEST(AddressAllocator, ReportsExhaustionAndReusesReleasedAddresses) {
  AddressAllocator a = Make("10.0.0.0/29");  // usable .2-.6
  std::set<IpAddress> allocated;
  std::optional<IpAddress> last;
  for (int i = 0; i < 5; ++i) {
    auto ip = a.Next(allocated, last);
    ASSERT_TRUE(ip.ok()) << i;
    allocated.insert(*ip);
    last = *ip;
  }
  EXPECT_EQ(last->ToString(), "10.0.0.6");
  auto full = a.Next(allocated, last);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(full.status().message(),
            "pod CIDR \"10.0.0.0/29\" is full: all 5 addresses are allocated");
  allocated.erase(Ip("10.0.0.4"));
  EXPECT_EQ(NextText(a, allocated, last), "10.0.0.4");
}

TEST(AddressAllocator, SmallestCidrsWork) {
  AddressAllocator v4 = Make("10.0.0.0/30");
  EXPECT_EQ(v4.Capacity(), 1u);
  EXPECT_EQ(NextText(v4, {}), "10.0.0.2");
  EXPECT_FALSE(v4.Next({Ip("10.0.0.2")}, Ip("10.0.0.2")).ok());
  AddressAllocator v6 = Make("fd00::/126");
  EXPECT_EQ(v6.Capacity(), 2u);
  EXPECT_EQ(NextText(v6, {Ip("fd00::2")}), "fd00::3");
}

TEST(AddressAllocator, UsesTheFirst2To64AddressesOfHugeIpv6Cidrs) {
  AddressAllocator a = Make("fd00::/48");
  EXPECT_EQ(NextText(a, {}), "fd00::2");
  EXPECT_EQ(a.Capacity(), UINT64_MAX - 1);
  EXPECT_EQ(a.CheckAvailable(Ip("fd00:0:0:1::5"), {}).message(),
            "\"fd00:0:0:1::5\" is beyond the first 2^64 addresses of \"fd00::/48\", the only "
            "ones handed out");
}

TEST(AddressAllocator, ChecksRequestedAddresses) {
  AddressAllocator a = Make("10.244.1.0/24");
  std::set<IpAddress> allocated = {Ip("10.244.1.9")};
  EXPECT_TRUE(a.CheckAvailable(Ip("10.244.1.10"), allocated).ok());
  EXPECT_EQ(a.CheckAvailable(Ip("10.244.2.10"), allocated).message(),
            "\"10.244.2.10\" is not in the pod CIDR \"10.244.1.0/24\"");
  EXPECT_EQ(a.CheckAvailable(Ip("10.244.1.1"), allocated).message(),
            "\"10.244.1.1\" is reserved in \"10.244.1.0/24\" (network, gateway or broadcast "
            "address)");
  Status taken = a.CheckAvailable(Ip("10.244.1.9"), allocated);
  EXPECT_EQ(taken.code(), Code::kAlreadyExists);
  EXPECT_EQ(taken.message(), "\"10.244.1.9\" is already allocated");
}

}  // namespace
}  // namespace egret::core::ipam
