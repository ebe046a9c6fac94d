#include "common/clock.h"

#include <gtest/gtest.h>

namespace egret {
namespace {

TEST(ClockTest, Rfc3339RoundTrips) {
  EXPECT_EQ(Rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(ParseRfc3339("2026-11-22T01:02:03Z"), ParseRfc3339(Rfc3339(*ParseRfc3339("2026-11-22T01:02:03Z"))));
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:01:00Z"), 60);
  EXPECT_EQ(ParseRfc3339("1970-01-01T01:00:00.123+01:00"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00-00:30"), 1800);
}

TEST(ClockTest, MalformedTimesAreRejected) {
  for (const char* bad : {"", "2026-11-22", "2026-11-22T01:02:03", "2026-13-01T00:00:00Z",
                          "2026-11-22T01:02:03Zx", "2026-11-22 01:02:03Z", "2026-11-22T01:02:03.Z",
                          "2026-11-22T01:02:03+0100"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace egret
