#include "core/netpol/ranges.h"

#include <gtest/gtest.h>

#include "core/netpol/netpol_test_util.h"

namespace egret::core::netpol::testing {
namespace {

model::IpRange R(std::string_view a, std::string_view b) { return {Ip(a), Ip(b)}; }

TEST(RangesTest, SubtractSplitsAroundHoles) {
  std::vector<model::IpRange> holes = {RangeOf(Net("10.0.0.128/26")), RangeOf(Net("10.0.0.0/30")),
                                       RangeOf(Net("fd00::/64"))};
  EXPECT_EQ(
      Subtract(RangeOf(Net("10.0.0.0/24")), holes),
      (std::vector<model::IpRange>{R("10.0.0.4", "10.0.0.127"), R("10.0.0.192", "10.0.0.255")}));
}

TEST(RangesTest, SubtractEverything) {
  std::vector<model::IpRange> holes = {RangeOf(Net("0.0.0.0/0"))};
  EXPECT_TRUE(Subtract(RangeOf(Net("10.0.0.0/24")), holes).empty());
  std::vector<model::IpRange> v6 = {RangeOf(Net("::/0"))};
  EXPECT_TRUE(Subtract(RangeOf(Net("fd00::/8")), v6).empty());
}

TEST(RangesTest, SubtractAtTheEndsOfTheSpace) {
  std::vector<model::IpRange> holes = {R("255.255.255.0", "255.255.255.255"),
                                       R("0.0.0.0", "0.0.0.0")};
  EXPECT_EQ(Subtract(RangeOf(Net("0.0.0.0/0")), holes),
            (std::vector<model::IpRange>{R("0.0.0.1", "255.255.254.255")}));
  std::vector<model::IpRange> v6 = {R("fd00::1:0", "fd00::1:ffff")};
  EXPECT_EQ(Subtract(RangeOf(Net("fd00::/112")), v6),  // no overlap
            (std::vector<model::IpRange>{R("fd00::", "fd00::ffff")}));
  EXPECT_EQ(Subtract(RangeOf(Net("fd00::/111")), v6),
            (std::vector<model::IpRange>{R("fd00::", "fd00::ffff")}));
}

TEST(RangesTest, NormalizeMergesOverlapAndAdjacency) {
  EXPECT_EQ(
      Normalize({R("fd00::", "fd00::5"), R("10.0.1.0", "10.0.1.255"), R("10.0.0.0", "10.0.0.255"),
                 R("10.0.0.10", "10.0.0.20"), R("10.0.3.0", "10.0.3.0")}),
      (std::vector<model::IpRange>{R("10.0.0.0", "10.0.1.255"), R("10.0.3.0", "10.0.3.0"),
                                   R("fd00::", "fd00::5")}));
}

TEST(RangesTest, Contains) {
  std::vector<model::IpRange> r = {R("10.0.0.0", "10.0.0.9"), R("10.0.1.0", "10.0.1.0"),
                                   R("fd00::", "fd00::5")};
  EXPECT_TRUE(RangesContain(r, Ip("10.0.0.9")));
  EXPECT_TRUE(RangesContain(r, Ip("10.0.1.0")));
  EXPECT_FALSE(RangesContain(r, Ip("10.0.0.10")));
  EXPECT_FALSE(RangesContain(r, Ip("9.255.255.255")));
  EXPECT_TRUE(RangesContain(r, Ip("fd00::5")));
  EXPECT_FALSE(RangesContain(r, Ip("fd00::6")));
}

}  // namespace
}  // namespace egret::core::netpol::testing
