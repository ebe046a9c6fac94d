// Every byte of both announcement frames, and the ICMPv6 checksum checked two independent ways.
#include "adapters/announce/frames.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace egret::announce {
namespace {

const model::MacAddress kMac = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

model::IpAddress Ip(const char* text) { return model::IpAddress::Parse(text).value(); }

std::vector<uint8_t> Slice(const std::vector<uint8_t>& v, size_t at, size_t n) {
  return {v.begin() + static_cast<std::ptrdiff_t>(at),
          v.begin() + static_cast<std::ptrdiff_t>(at + n)};
}

std::vector<uint8_t> MacBytes() { return {kMac.begin(), kMac.end()}; }

uint16_t Be16(const std::vector<uint8_t>& v, size_t at) {
  return static_cast<uint16_t>((v[at] << 8) | v[at + 1]);
}

TEST(GratuitousArp, EveryField) {
  const std::vector<uint8_t> f = BuildGratuitousArp(kMac, Ip("10.6.1.21"));
  ASSERT_EQ(f.size(), 60u);
  EXPECT_EQ(Slice(f, 0, 6), std::vector<uint8_t>(6, 0xff)) << "broadcast destination";
  EXPECT_EQ(Slice(f, 6, 6), MacBytes()) << "Ethernet source";
  EXPECT_EQ(Be16(f, 12), 0x0806) << "EtherType ARP";
  EXPECT_EQ(Be16(f, 14), 1) << "hardware type Ethernet";
  EXPECT_EQ(Be16(f, 16), 0x0800) << "protocol type IPv4";
  EXPECT_EQ(f[18], 6) << "hardware address length";
  EXPECT_EQ(f[19], 4) << "protocol address length";
  EXPECT_EQ(Be16(f, 20), 1) << "operation: request";
  EXPECT_EQ(Slice(f, 22, 6), MacBytes()) << "sender hardware address";
  EXPECT_EQ(Slice(f, 28, 4), (std::vector<uint8_t>{10, 6, 1, 21})) << "sender protocol address";
  EXPECT_EQ(Slice(f, 32, 6), std::vector<uint8_t>(6, 0)) << "target hardware address";
  EXPECT_EQ(Slice(f, 38, 4), (std::vector<uint8_t>{10, 6, 1, 21})) << "target protocol address";
  EXPECT_EQ(Slice(f, 42, 18), std::vector<uint8_t>(18, 0)) << "padding to 60 bytes";
}

TEST(GratuitousArp, RejectsIpv6) { EXPECT_TRUE(BuildGratuitousArp(kMac, Ip("fd00::1")).empty()); }

TEST(UnsolicitedNa, EveryField) {
  const model::IpAddress ip = Ip("fd00:6::15");
  const std::vector<uint8_t> f = BuildUnsolicitedNa(kMac, ip);
  const std::vector<uint8_t> ip_bytes(ip.bytes().begin(), ip.bytes().end());
  const std::vector<uint8_t> all_nodes = {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  ASSERT_EQ(f.size(), 86u);
  // Ethernet.
  EXPECT_EQ(Slice(f, 0, 6), (std::vector<uint8_t>{0x33, 0x33, 0, 0, 0, 1})) << "ff02::1's MAC";
  EXPECT_EQ(Slice(f, 6, 6), MacBytes());
  EXPECT_EQ(Be16(f, 12), 0x86dd);
  // IPv6.
  EXPECT_EQ(Slice(f, 14, 4), (std::vector<uint8_t>{0x60, 0, 0, 0})) << "version, class, flow";
  EXPECT_EQ(Be16(f, 18), 32) << "payload length";
  EXPECT_EQ(f[20], 58) << "next header ICMPv6";
  EXPECT_EQ(f[21], 255) << "hop limit";
  EXPECT_EQ(Slice(f, 22, 16), ip_bytes) << "source: the announced address";
  EXPECT_EQ(Slice(f, 38, 16), all_nodes) << "destination ff02::1";
  // ICMPv6 Neighbor Advertisement.
  EXPECT_EQ(f[54], 136) << "type";
  EXPECT_EQ(f[55], 0) << "code";
  EXPECT_EQ(f[58], 0x20) << "flags: Override set, Router and Solicited clear";
  EXPECT_EQ(Slice(f, 59, 3), std::vector<uint8_t>(3, 0)) << "reserved";
  EXPECT_EQ(Slice(f, 62, 16), ip_bytes) << "target address";
  EXPECT_EQ(f[78], 2) << "option: target link-layer address";
  EXPECT_EQ(f[79], 1) << "option length: 8 bytes";
  EXPECT_EQ(Slice(f, 80, 6), MacBytes());
}

// Golden value computed outside this code base (a short script over the same bytes).
TEST(UnsolicitedNa, ChecksumMatchesKnownValue) {
  const std::vector<uint8_t> f = BuildUnsolicitedNa(kMac, Ip("fd00:6::15"));
  ASSERT_EQ(f.size(), 86u);
  EXPECT_EQ(Be16(f, 56), 0xf3ce);
}

// Receiver's view: the pseudo-header plus the message, checksum included, must sum to 0xffff.
// Sums 32-bit words into 64 bits, unlike the builder's 16-bit loop.
uint16_t FoldedSum(const std::vector<uint8_t>& bytes) {
  uint64_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4; ++k) {
      word = (word << 8) | (i + k < bytes.size() ? bytes[i + k] : 0);
    }
    sum += word;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

TEST(UnsolicitedNa, ChecksumVerifiesForManyAddresses) {
  for (const char* text : {"fd00::1", "2001:db8::ffff:ffff", "fe80::1", "::1", "fd77:0:0:1::a"}) {
    const std::vector<uint8_t> f = BuildUnsolicitedNa(kMac, Ip(text));
    ASSERT_EQ(f.size(), 86u) << text;
    std::vector<uint8_t> pseudo = Slice(f, 22, 32);  // source and destination
    const std::vector<uint8_t> length_and_next = {0, 0, 0, 32, 0, 0, 0, 58};
    pseudo.insert(pseudo.end(), length_and_next.begin(), length_and_next.end());
    pseudo.insert(pseudo.end(), f.begin() + 54, f.end());
    EXPECT_EQ(FoldedSum(pseudo), 0xffff) << text;
    EXPECT_NE(Be16(f, 56), 0) << text;
  }
}

TEST(UnsolicitedNa, RejectsIpv4) { EXPECT_TRUE(BuildUnsolicitedNa(kMac, Ip("10.0.0.1")).empty()); }

TEST(Announcement, PicksTheFamilysFrame) {
  EXPECT_EQ(BuildAnnouncement(kMac, Ip("10.0.0.1")), BuildGratuitousArp(kMac, Ip("10.0.0.1")));
  EXPECT_EQ(BuildAnnouncement(kMac, Ip("fd00::1")), BuildUnsolicitedNa(kMac, Ip("fd00::1")));
}

}  // namespace
}  // namespace egret::announce
