// IP addresses, CIDRs and ranges: strict parsing (what is accepted and what is not), RFC 5952
// text, containment, overlap and sizes.
#include "model/net.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egret::model {
namespace {

IpAddress Ip(std::string_view text) {
  std::optional<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

Cidr CidrOf(std::string_view text) {
  std::string why;
  std::optional<Cidr> c = Cidr::Parse(text, &why);
  EXPECT_TRUE(c.has_value()) << text << ": " << why;
  return c.value_or(Cidr());
}

IpRange RangeOf(std::string_view text) {
  std::string why;
  std::optional<IpRange> r = IpRange::Parse(text, &why);
  EXPECT_TRUE(r.has_value()) << text << ": " << why;
  return r.value_or(IpRange());
}

TEST(IpAddressTest, ParsesIpv4) {
  EXPECT_EQ(Ip("10.6.1.21").ToString(), "10.6.1.21");
  EXPECT_EQ(Ip("0.0.0.0").ToString(), "0.0.0.0");
  EXPECT_EQ(Ip("255.255.255.255").ToString(), "255.255.255.255");
  EXPECT_TRUE(Ip("10.0.0.1").is_v4());
  EXPECT_EQ(Ip("10.0.0.1").bits(), 32);
  EXPECT_EQ(FamilyName(Ip("10.0.0.1").family()), "IPv4");
}

TEST(IpAddressTest, RejectsBadIpv4) {
  for (std::string_view bad : {"", "10.0.0", "10.0.0.1.2", "256.0.0.1", "10.0.0.256", "010.0.0.1",
                               "10.00.0.1", "10.0.0.-1", "10.0..1", " 10.0.0.1", "10.0.0.1 ",
                               "1e1.0.0.1", "0x10.0.0.1", "1000.0.0.1", "10.0.0.1/32"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << bad;
  }
}

TEST(IpAddressTest, ParsesIpv6) {
  EXPECT_EQ(Ip("2001:db8:0:0:0:0:0:1").ToString(), "2001:db8::1");
  EXPECT_EQ(Ip("::").ToString(), "::");
  EXPECT_EQ(Ip("::1").ToString(), "::1");
  EXPECT_EQ(Ip("fd00::").ToString(), "fd00::");
  EXPECT_EQ(Ip("FD00:0A::B").ToString(), "fd00:a::b");
  EXPECT_EQ(Ip("1:2:3:4:5:6:7:8").ToString(), "1:2:3:4:5:6:7:8");
  EXPECT_EQ(Ip("1:2:3:4:5:6:7::").ToString(), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(Ip("::2:3:4:5:6:7:8").ToString(), "0:2:3:4:5:6:7:8");
  EXPECT_FALSE(Ip("::1").is_v4());
  EXPECT_EQ(Ip("::1").bits(), 128);
}

TEST(IpAddressTest, ParsesEmbeddedIpv4InTheLastTwoGroups) {
  EXPECT_EQ(Ip("::ffff:10.0.0.1"), Ip("::ffff:a00:1"));
  EXPECT_EQ(Ip("1:2:3:4:5:6:10.0.0.1"), Ip("1:2:3:4:5:6:a00:1"));
  EXPECT_EQ(Ip("64:ff9b::192.0.2.33"), Ip("64:ff9b::c000:221"));
  // The output does not use the dotted form.
  EXPECT_EQ(Ip("::ffff:10.0.0.1").ToString(), "::ffff:a00:1");
}

TEST(IpAddressTest, RejectsBadIpv6) {
  struct Group {
    const char* why;
    std::vector<const char*> texts;
  };
  const Group kGroups[] = {
      {"more than one \"::\"", {":::", "::1::", "1::2::3"}},
      {"group count", {"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7"}},
      {"bad group", {"12345::", "g::", "1:", ":1", ":1::", "1::2:"}},
      {"zone, brackets or prefix", {"fe80::1%eth0", "[::1]", "::1/128"}},
      {"bad embedded IPv4", {"::ffff:10.0.0.256", "::ffff:010.0.0.1", "::10.0.0"}},
      {"IPv4 not in the last 32 bits", {"1.2.3.4::", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4"}},
  };
  for (const Group& g : kGroups) {
    for (const char* bad : g.texts) {
      EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << g.why << ": " << bad;
    }
  }
}

TEST(IpAddressTest, FormatsIpv6AsRfc5952) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case kCases[] = {
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},  // leading zeros dropped
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},               // first of equal runs
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},                           // longest run
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},            // a lone 0 stays
      {"0:0:0:0:0:0:0:0", "::"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"1:0:0:0:0:0:0:0", "1::"},
      {"2001:DB8::ABCD", "2001:db8::abcd"},  // lower case
  };
  for (const Case& c : kCases) EXPECT_EQ(Ip(c.in).ToString(), c.out) << c.in;
}

TEST(IpAddressTest, OrdersByFamilyThenValue) {
  EXPECT_LT(Ip("10.0.0.1"), Ip("10.0.0.2"));
  EXPECT_LT(Ip("10.0.0.255"), Ip("10.0.1.0"));
  EXPECT_LT(Ip("255.255.255.255"), Ip("::"));  // every IPv4 address sorts first
  EXPECT_NE(Ip("0.0.0.0"), Ip("::"));
}

TEST(IpAddressTest, PlusAndMasked) {
  EXPECT_EQ(Ip("10.0.0.255").Plus(1), Ip("10.0.1.0"));
  EXPECT_EQ(Ip("10.0.0.1").Plus(0x10000), Ip("10.1.0.1"));
  EXPECT_EQ(Ip("255.255.255.255").Plus(1), Ip("0.0.0.0"));  // wraps within the family
  EXPECT_EQ(Ip("fd00::ffff").Plus(1), Ip("fd00::1:0"));
  EXPECT_EQ(Ip("10.1.2.3").Masked(16), Ip("10.1.0.0"));
  EXPECT_EQ(Ip("10.1.2.3").Masked(23), Ip("10.1.2.0"));
  EXPECT_EQ(Ip("10.1.2.3").Masked(0), Ip("0.0.0.0"));
  EXPECT_EQ(Ip("fd00:1:2:3::1").Masked(48), Ip("fd00:1:2::"));
}

TEST(CidrTest, Parses) {
  Cidr c = CidrOf("10.0.0.0/8");
  EXPECT_EQ(c.address(), Ip("10.0.0.0"));
  EXPECT_EQ(c.prefix_len(), 8);
  EXPECT_EQ(c.family(), Family::kV4);
  EXPECT_EQ(c.last(), Ip("10.255.255.255"));
  EXPECT_EQ(CidrOf("0.0.0.0/0").last(), Ip("255.255.255.255"));
  EXPECT_EQ(CidrOf("10.0.0.1/32").last(), Ip("10.0.0.1"));
  EXPECT_EQ(CidrOf("2001:DB8::/32").ToString(), "2001:db8::/32");
  EXPECT_EQ(CidrOf("::/0").last(), Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(CidrOf("::1/128").prefix_len(), 128);
}

TEST(CidrTest, RejectsHostBitsWithASuggestion) {
  std::string why;
  EXPECT_FALSE(Cidr::Parse("10.0.0.1/8", &why));
  EXPECT_EQ(why, "\"10.0.0.1/8\" has host bits set (did you mean \"10.0.0.0/8\"?)");
  EXPECT_FALSE(Cidr::Parse("fd00::1/64", &why));
  EXPECT_EQ(why, "\"fd00::1/64\" has host bits set (did you mean \"fd00::/64\"?)");
}

TEST(CidrTest, RejectsBadPrefixesAndAddresses) {
  struct Case {
    const char* text;
    const char* why;
  };
  const Case kCases[] = {
      {"10.0.0.0", "\"10.0.0.0\" is not a CIDR (address/prefix)"},
      {"10.0.0.0/33", "bad prefix length"},
      {"::/129", "bad prefix length"},
      {"10.0.0.0/-1", "bad prefix length"},
      {"10.0.0.0/08", "bad prefix length"},  // no leading zeros
      {"10.0.0.0/", "bad prefix length"},
      {"10.0.0.0/8/8", "bad prefix length"},
      {"10.0.0/8", "\"10.0.0/8\" is not a CIDR: bad address"},
      {"/8", "bad address"},
  };
  for (const Case& c : kCases) {
    std::string why;
    EXPECT_FALSE(Cidr::Parse(c.text, &why)) << c.text;
    EXPECT_NE(why.find(c.why), std::string::npos) << c.text << ": " << why;
  }
  EXPECT_EQ(CidrOf("0.0.0.0/0").prefix_len(), 0);  // "0" alone is not a leading zero
}

TEST(CidrTest, ContainsAndOverlaps) {
  Cidr net = CidrOf("10.1.0.0/16");
  EXPECT_TRUE(net.Contains(Ip("10.1.0.0")));
  EXPECT_TRUE(net.Contains(Ip("10.1.255.255")));
  EXPECT_FALSE(net.Contains(Ip("10.2.0.0")));
  EXPECT_FALSE(net.Contains(Ip("::a01:0")));  // other family
  EXPECT_TRUE(net.Contains(CidrOf("10.1.2.0/24")));
  EXPECT_TRUE(net.Contains(net));
  EXPECT_FALSE(net.Contains(CidrOf("10.0.0.0/8")));  // larger
  EXPECT_FALSE(CidrOf("::/0").Contains(CidrOf("10.0.0.0/8")));
  EXPECT_TRUE(net.Overlaps(CidrOf("10.0.0.0/8")));
  EXPECT_TRUE(CidrOf("10.0.0.0/8").Overlaps(net));
  EXPECT_FALSE(net.Overlaps(CidrOf("10.2.0.0/16")));
  EXPECT_FALSE(CidrOf("0.0.0.0/0").Overlaps(CidrOf("::/0")));
}

TEST(IpRangeTest, ParsesTheThreeForms) {
  EXPECT_EQ(RangeOf("10.6.1.21"), (IpRange{Ip("10.6.1.21"), Ip("10.6.1.21")}));
  EXPECT_EQ(RangeOf("10.6.1.21-10.6.1.30"), (IpRange{Ip("10.6.1.21"), Ip("10.6.1.30")}));
  EXPECT_EQ(RangeOf("10.6.1.0/28"), (IpRange{Ip("10.6.1.0"), Ip("10.6.1.15")}));
  EXPECT_EQ(RangeOf("fd00::1-fd00::0:9"), (IpRange{Ip("fd00::1"), Ip("fd00::9")}));
  EXPECT_EQ(RangeOf("fd00::/120").last, Ip("fd00::ff"));
  EXPECT_EQ(RangeOf("10.0.0.5-10.0.0.5").Size(), 1u);
  EXPECT_EQ(RangeOf("fd00::1").family(), Family::kV6);
}

TEST(IpRangeTest, RejectsWithAReason) {
  struct Case {
    const char* text;
    const char* why;
  };
  const Case kCases[] = {
      {"10.6.1.300", "\"10.6.1.300\" is not an IP address, range or CIDR"},
      {"10.6.1.1-x", "is not a valid range: both ends must be IP addresses"},
      {"10.6.1.1-", "both ends must be IP addresses"},
      {"10.6.1.1-fd00::1", "mixes IPv4 and IPv6"},
      {"10.6.1.9-10.6.1.1", "is not a valid range: the end is before the start"},
      {"10.6.1.1/24", "has host bits set"},
  };
  for (const Case& c : kCases) {
    std::string why;
    EXPECT_FALSE(IpRange::Parse(c.text, &why)) << c.text;
    EXPECT_NE(why.find(c.why), std::string::npos) << c.text << ": " << why;
  }
}

TEST(IpRangeTest, SizeSaturates) {
  EXPECT_EQ(RangeOf("10.0.0.0/24").Size(), 256u);
  EXPECT_EQ(RangeOf("0.0.0.0/0").Size(), uint64_t{1} << 32);
  EXPECT_EQ(RangeOf("fd00::/65").Size(), uint64_t{1} << 63);
  EXPECT_EQ(RangeOf("fd00::/64").Size(), UINT64_MAX);  // 2^64 does not fit
  EXPECT_EQ(RangeOf("::/0").Size(), UINT64_MAX);
  EXPECT_EQ(RangeOf("fd00::-fd00::1:0:0:0").Size(), (uint64_t{1} << 48) + 1);
}

TEST(IpRangeTest, ContainsOverlapsAndEquality) {
  IpRange r = RangeOf("10.0.0.10-10.0.0.20");
  EXPECT_TRUE(r.Contains(Ip("10.0.0.10")));
  EXPECT_TRUE(r.Contains(Ip("10.0.0.20")));
  EXPECT_FALSE(r.Contains(Ip("10.0.0.21")));
  EXPECT_TRUE(r.Overlaps(RangeOf("10.0.0.20-10.0.0.30")));
  EXPECT_FALSE(r.Overlaps(RangeOf("10.0.0.21-10.0.0.30")));  // adjacent is fine
  EXPECT_FALSE(RangeOf("0.0.0.0/0").Overlaps(RangeOf("::/0")));
  EXPECT_EQ(RangeOf("10.0.0.0/30"), RangeOf("10.0.0.0-10.0.0.3"));
  EXPECT_NE(RangeOf("10.0.0.0/30"), RangeOf("10.0.0.0-10.0.0.4"));
}

}  // namespace
}  // namespace egret::model
