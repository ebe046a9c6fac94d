// The shared field rules: enumerations, the one port wording, port names, IP and CIDR fields,
// dual-stack lists and timestamps. Kind tests cover the same rules at their own field paths.
#include "model/core_fields.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "model/model_test_util.h"

namespace egret::model {
namespace {

constexpr std::array<std::string_view, 3> kColors = {"Red", "Green", "Blue"};

TEST(CoreFieldsTest, DecodeChoice) {
  doc::Value v = Yaml("{ok: Green, bad: green, empty: '', wrong: 1}");
  FieldErrors errs;
  ObjectReader r(&v, "spec", &errs);
  EXPECT_EQ(DecodeChoice(r, "ok", kColors, "color"), 1u);
  EXPECT_EQ(DecodeChoice(r, "bad", kColors, "color"), std::nullopt);
  EXPECT_EQ(DecodeChoice(r, "empty", kColors, "color"), std::nullopt);  // "" is unset
  EXPECT_EQ(DecodeChoice(r, "wrong", kColors, "color", /*required=*/true), std::nullopt);
  EXPECT_EQ(DecodeChoice(r, "absent", kColors, "color", /*required=*/true), std::nullopt);
  ASSERT_EQ(errs.errors().size(), 3u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].reason, "\"green\" is not a valid color: use Red, Green or Blue");
  EXPECT_EQ(errs.errors()[1].reason, "must be a string, not integer");  // no "Required" on top
  EXPECT_EQ(errs.errors()[2].path, "spec.absent");
  EXPECT_EQ(errs.errors()[2].reason, "Required value: use Red, Green or Blue");
  EXPECT_EQ(ChoiceList(std::span<const std::string_view>(kColors.data(), 1)), "Red");
}

TEST(CoreFieldsTest, PortsShareOneWording) {
  doc::Value v = Yaml("{a: 1, b: 65535, c: 0, d: 65536, e: '80', f: -1}");
  FieldErrors errs;
  ObjectReader r(&v, "spec", &errs);
  EXPECT_EQ(DecodePort(r, "a", true), 1);
  EXPECT_EQ(DecodePort(r, "b", true), 65535);
  EXPECT_EQ(DecodePort(r, "c", false), std::nullopt);
  EXPECT_EQ(DecodePort(r, "d", false), std::nullopt);
  EXPECT_EQ(DecodePort(r, "e", false), std::nullopt);
  EXPECT_EQ(DecodePort(r, "f", false), std::nullopt);
  EXPECT_EQ(DecodePort(r, "absent", true), std::nullopt);
  EXPECT_EQ(DecodePort(r, "absent2", false), std::nullopt);
  ASSERT_EQ(errs.errors().size(), 5u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].reason, "0 is not a port number: use 1-65535");
  EXPECT_EQ(errs.errors()[1].reason, "65536 is not a port number: use 1-65535");
  EXPECT_EQ(errs.errors()[2].reason, "must be an integer, not string");
  EXPECT_EQ(errs.errors()[3].reason, "-1 is not a port number: use 1-65535");
  EXPECT_EQ(errs.errors()[4].reason, "Required value");
}

TEST(CoreFieldsTest, PortOrName) {
  doc::Value v = Yaml("{n: 8080, s: http, zero: 0, bad: HTTP, quoted: '80', list: [1]}");
  FieldErrors errs;
  ObjectReader r(&v, "p", &errs);
  EXPECT_EQ(DecodePortOrName(r, "n")->number, 8080);
  EXPECT_EQ(DecodePortOrName(r, "s")->name, "http");
  EXPECT_FALSE(DecodePortOrName(r, "zero", ", or a name"));
  EXPECT_FALSE(DecodePortOrName(r, "bad"));
  EXPECT_FALSE(DecodePortOrName(r, "quoted"));
  EXPECT_FALSE(DecodePortOrName(r, "list"));
  EXPECT_FALSE(DecodePortOrName(r, "absent"));
  ASSERT_EQ(errs.errors().size(), 4u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].reason, "0 is not a port number: use 1-65535, or a name");
  EXPECT_NE(errs.errors()[1].reason.find("\"HTTP\" is not a valid port name"), std::string::npos);
  EXPECT_NE(errs.errors()[2].reason.find("(a port number is written without quotes)"),
            std::string::npos);
  EXPECT_EQ(errs.errors()[3].reason, "must be an integer or a string, not list");
}

TEST(CoreFieldsTest, IanaServiceNames) {
  for (std::string_view ok : {"http", "a", "dns-tcp", "h2c", "x1", "abcdefghijklmno"}) {
    EXPECT_TRUE(IsIanaServiceName(ok)) << ok;
  }
  for (std::string_view bad :
       {"", "80", "-http", "http-", "a--b", "HTTP", "web_ui", "abcdefghijklmnop"}) {
    EXPECT_FALSE(IsIanaServiceName(bad)) << bad;
  }
}

TEST(CoreFieldsTest, IpFields) {
  doc::Value v = Yaml("{a: 10.0.0.1, b: 'fd00::1', c: '', d: 10.0.0.300, e: 'fd00::1', f: x}");
  FieldErrors errs;
  ObjectReader r(&v, "s", &errs);
  EXPECT_EQ(DecodeIpField(r, "a")->ToString(), "10.0.0.1");
  EXPECT_EQ(DecodeIpField(r, "b", Family::kV6)->ToString(), "fd00::1");
  EXPECT_EQ(DecodeIpField(r, "c"), std::nullopt);  // "" is unset
  EXPECT_EQ(DecodeIpField(r, "d", Family::kV4), std::nullopt);
  EXPECT_EQ(DecodeIpField(r, "e", Family::kV4), std::nullopt);
  EXPECT_EQ(DecodeIpField(r, "f"), std::nullopt);
  EXPECT_EQ(DecodeIpField(r, "absent"), std::nullopt);
  ASSERT_EQ(errs.errors().size(), 3u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].reason, "\"10.0.0.300\" is not an IPv4 address");
  EXPECT_EQ(errs.errors()[1].reason, "\"fd00::1\" is an IPv6 address, not IPv4");
  EXPECT_EQ(errs.errors()[2].reason, "\"x\" is not an IP address");
}

TEST(CoreFieldsTest, CidrFieldAndSpecialAddresses) {
  FieldErrors errs;
  EXPECT_EQ(ParseCidrField("10.0.0.0/8", "c", &errs)->prefix_len(), 8);
  EXPECT_FALSE(ParseCidrField("10.0.0.1/8", "c", &errs));
  EXPECT_TRUE(OnlyError(errs, "c", "has host bits set"));

  FieldErrors special;
  for (std::string_view ip :
       {"0.0.0.0", "127.0.0.5", "169.254.1.1", "224.0.0.251", "::", "::1", "fe80::1", "ff02::1"}) {
    EXPECT_FALSE(ValidateNonSpecialIp(*IpAddress::Parse(ip), "a", &special)) << ip;
  }
  for (std::string_view ip : {"10.0.0.1", "224.0.1.1", "fd00::1", "ff05::1"}) {
    EXPECT_TRUE(ValidateNonSpecialIp(*IpAddress::Parse(ip), "a", &special)) << ip;
  }
}

TEST(CoreFieldsTest, OnePerFamilyAndPrimary) {
  FieldErrors errs;
  ValidateOnePerFamily(
      {{0, Family::kV4, "10.0.0.1"}, {1, Family::kV6, "fd00::1"}, {2, Family::kV4, "10.0.0.2"}},
      "ips", "address", &errs);
  EXPECT_TRUE(OnlyError(errs, "ips[2]", "\"10.0.0.2\" is a second IPv4 address"));

  std::vector<IpAddress> list;
  FieldErrors rec;
  ReconcilePrimary(IpAddress::Parse("10.0.0.1"), &list, true, "ip", "ips", &rec);
  EXPECT_EQ(list.size(), 1u);  // filled from the singular field
  ReconcilePrimary(IpAddress::Parse("10.0.0.2"), &list, true, "ip", "ips", &rec);
  EXPECT_TRUE(OnlyError(rec, "ip", "\"10.0.0.2\" does not match ips[0] \"10.0.0.1\""));
}

TEST(CoreFieldsTest, Timestamps) {
  for (std::string_view ok :
       {"2024-05-01T12:00:00Z", "2024-05-01t12:00:00z", "2024-05-01T12:00:00.123456Z",
        "2024-05-01T12:00:00+02:00", "2024-12-31T23:59:60-07:30"}) {
    FieldErrors errs;
    EXPECT_TRUE(ValidateTimestamp(ok, "t", &errs)) << ok;
  }
  for (std::string_view bad :
       {"", "2024-05-01", "2024-05-01 12:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+2:00", "yesterday"}) {
    FieldErrors errs;
    EXPECT_FALSE(ValidateTimestamp(bad, "t", &errs)) << bad;
    EXPECT_TRUE(OnlyError(errs, "t", "is not an RFC 3339 time")) << bad;
  }
}

TEST(CoreFieldsTest, TextListValue) {
  std::vector<Cidr> cidrs = {*Cidr::Parse("10.0.0.0/8"), *Cidr::Parse("fd00::/64")};
  EXPECT_EQ(doc::ToYaml(TextListValue(cidrs)), "- 10.0.0.0/8\n- fd00::/64\n");
}

}  // namespace
}  // namespace egret::model
