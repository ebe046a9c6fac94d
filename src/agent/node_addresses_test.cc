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

TEST(DefaultRouteDevice, PrefersIpv4AndTheLowestMetric) {
  auto route = [](const char* dst, const char* dev, uint32_t metric) {
    model::Route r;
    r.dst = *model::Cidr::Parse(dst);
    r.device = dev;
    r.metric = metric;
    r.protocol = 4;
    return r;
  };
  std::vector<model::Route> v4 = {route("10.0.0.0/8", "eth9", 0), route("0.0.0.0/0", "eth1", 200),
                                  route("0.0.0.0/0", "eth2", 100)};
  std::vector<model::Route> v6 = {route("::/0", "eth3", 0)};
  EXPECT_EQ(DefaultRouteDevice(v4, v6), "eth2");
  EXPECT_EQ(DefaultRouteDevice({}, v6), "eth3");
  EXPECT_EQ(DefaultRouteDevice({route("10.0.0.0/8", "eth9", 0)}, {}), "");
}

}  // namespace
}  // namespace egret::agent
