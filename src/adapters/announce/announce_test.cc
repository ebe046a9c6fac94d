// Argument and device errors of Announce that need no root and no socket.
#include "adapters/announce/announce.h"

#include <gtest/gtest.h>

#include <string>

namespace egret::announce {
namespace {

model::IpAddress Ip(const char* text) { return model::IpAddress::Parse(text).value(); }

bool Contains(const Status& s, const std::string& part) {
  return s.message().find(part) != std::string::npos;
}

TEST(Announce, RejectsCountBelowOne) {
  Status s = Announce("lo", Ip("10.6.1.21"), 0);
  EXPECT_EQ(s.code(), Code::kInvalid);
  EXPECT_TRUE(Contains(s, "announce 10.6.1.21 on device \"lo\"")) << s.message();
  EXPECT_TRUE(Contains(s, "count 0 must be at least 1")) << s.message();
}

TEST(Announce, RejectsOverlongDeviceName) {
  Status s = Announce(std::string(16, 'x'), Ip("fd00::1"), 1);
  EXPECT_EQ(s.code(), Code::kInvalid);
  EXPECT_TRUE(Contains(s, "announce fd00::1 on device")) << s.message();
  EXPECT_TRUE(Contains(s, "1 to 15 bytes")) << s.message();
}

TEST(Announce, MissingDeviceIsNotFound) {
  Status s = Announce("egt-nosuchdev", Ip("fd00::1"), 1);
  EXPECT_EQ(s.code(), Code::kNotFound) << s.message();
  EXPECT_TRUE(Contains(s, "announce fd00::1 on device \"egt-nosuchdev\": no such device"))
      << s.message();
}

}  // namespace
}  // namespace egret::announce
