#include "agent/node_addresses.h"

#include <gtest/gtest.h>

namespace egret::agent {
namespace {

netlink::DeviceAddress A(const char* ip, int len) {
  return {"eth0", {*model::IpAddress::Parse(ip), len}};
}

TEST(PickNodeAddresses, FirstGlobalAddressPerFamilyIpv4First) {
  auto got = PickNodeAddresses({A("fe80::1", 64), A("fd00:18::11", 64), A("169.254.0.5", 16),
                                A("172.18.0.11", 24), A("172.18.0.99", 24)});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].ToString(), "172.18.0.11");
  EXPECT_EQ(got[1].ToString(), "fd00:18::11");
}

TEST(PickNodeAddresses, NothingUsableGivesNothing) {
  EXPECT_TRUE(PickNodeAddresses({A("fe80::1", 64), A("127.0.0.1", 8)}).empty());
}

}  // namespace
}  // namespace egret::agent
