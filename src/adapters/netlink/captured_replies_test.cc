// Decoding replies captured from a real kernel (tests/fuzz/corpus/netlink_decoder, made by the
// objects of the kernel tests), and robustness: every truncation and every flipped byte of those
// replies decodes or fails cleanly.
#include <gtest/gtest.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Link;

std::vector<uint8_t> ReadCorpus(const std::string& name) {
  std::ifstream in(std::string(EGRET_NETLINK_CORPUS) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

template <typename Info>
std::vector<Info> DecodeFile(const std::string& name, StatusOr<Info> (*decode)(const Message&)) {
  auto messages = ParseMessages(ReadCorpus(name));
  EXPECT_TRUE(messages.ok()) << messages.status().ToString();
  std::vector<Info> out;
  if (!messages.ok()) return out;
  for (const Message& m : *messages) {
    auto info = decode(m);
    EXPECT_TRUE(info.ok()) << name << ": " << info.status().ToString();
    if (info.ok()) out.push_back(*info);
  }
  return out;
}

const LinkInfo* FindLink(const std::vector<LinkInfo>& links, std::string_view name) {
  for (const LinkInfo& l : links) {
    if (l.link.name == name) return &l;
  }
  ADD_FAILURE() << "no link " << name;
  return nullptr;
}

TEST(CapturedReplies, Links) {
  auto links = DecodeFile("links.bin", &DecodeLink);
  ASSERT_EQ(links.size(), 6u);
  const LinkInfo* lo = FindLink(links, "lo");
  const LinkInfo* veth = FindLink(links, "eg-a0");
  const LinkInfo* vx = FindLink(links, "egret.vx");
  const LinkInfo* br = FindLink(links, "eg-br");
  const LinkInfo* port = FindLink(links, "eg-v0");
  ASSERT_TRUE(lo && veth && vx && br && port);
  EXPECT_EQ(lo->link.kind, Link::Kind::kOther);
  EXPECT_TRUE(lo->link.up);
  EXPECT_EQ(veth->link.kind, Link::Kind::kVeth);
  EXPECT_EQ(veth->link.mtu, 1400);
  EXPECT_TRUE(veth->peer_in_other_ns);
  EXPECT_EQ(vx->link.kind, Link::Kind::kVxlan);
  EXPECT_EQ(vx->link.vxlan_id, 42u);
  EXPECT_EQ(vx->link.vxlan_port, 4789);
  EXPECT_EQ(vx->link.vxlan_local, Ip("10.200.0.1"));
  EXPECT_FALSE(vx->link.vxlan_learning);
  EXPECT_TRUE(vx->vxlan.udp_csum);
  EXPECT_EQ(vx->vxlan_underlay_index, veth->link.index);
  EXPECT_EQ(br->link.kind, Link::Kind::kBridge);
  EXPECT_EQ(port->master_index, br->link.index);
  EXPECT_EQ(port->peer_in_other_ns, false);
}

TEST(CapturedReplies, Addresses) {
  auto v4 = DecodeFile("addresses-v4.bin", &DecodeAddress);
  auto v6 = DecodeFile("addresses-v6.bin", &DecodeAddress);
  auto has = [](const std::vector<AddressInfo>& list, std::string_view ip, int len) {
    return std::any_of(list.begin(), list.end(), [&](const AddressInfo& a) {
      return a.address == model::InterfaceAddress{.ip = Ip(ip), .prefix_len = len};
    });
  };
  EXPECT_TRUE(has(v4, "127.0.0.1", 8));
  EXPECT_TRUE(has(v4, "10.200.0.1", 24));
  EXPECT_TRUE(has(v6, "::1", 128));
  EXPECT_TRUE(has(v6, "fd00:200::1", 64));
}

TEST(CapturedReplies, Routes) {
  auto v4 = DecodeFile("routes-v4.bin", &DecodeRoute);
  auto v6 = DecodeFile("routes-v6.bin", &DecodeRoute);
  bool onlink = false, large_table = false;
  for (const RouteInfo& r : v4) {
    if (r.route.table == 100) {
      onlink = true;
      EXPECT_EQ(r.route.dst, Net("10.244.2.0/24"));
      EXPECT_EQ(r.route.gateway, Ip("10.250.0.2"));
      EXPECT_TRUE(r.route.onlink);
      EXPECT_EQ(r.route.protocol, model::kRouteProtocol);
      EXPECT_EQ(r.type, RTN_UNICAST);
    }
  }
  for (const RouteInfo& r : v6) {
    if (r.route.table == 1000) {
      large_table = true;
      EXPECT_EQ(r.route.dst, Net("fd00:244:2::/64"));
      EXPECT_EQ(r.route.gateway, Ip("fd00:200::2"));
      EXPECT_EQ(r.route.metric, 1024u);
    }
  }
  EXPECT_TRUE(onlink && large_table);
  EXPECT_TRUE(std::any_of(v4.begin(), v4.end(), [](const RouteInfo& r) {
    return r.type == RTN_LOCAL && r.route.table == RT_TABLE_LOCAL;
  })) << "local-table routes are decoded; Rtnl filters them";
}

TEST(CapturedReplies, Rules) {
  auto v4 = DecodeFile("rules-v4.bin", &DecodeRule);
  auto v6 = DecodeFile("rules-v6.bin", &DecodeRule);
  ASSERT_EQ(v4.size(), 4u);
  model::Rule mark;
  mark.priority = 10000;
  mark.fwmark = 0x10;
  mark.fwmask = 0xff;
  mark.table = 100;
  EXPECT_TRUE(std::any_of(v4.begin(), v4.end(), [&](const RuleInfo& r) { return r.rule == mark; }));
  EXPECT_TRUE(std::any_of(v4.begin(), v4.end(), [](const RuleInfo& r) {
    return r.rule.priority == 32766 && r.rule.table == 254 && r.action == FR_ACT_TO_TBL;
  }));
  model::Rule from;
  from.family = model::Family::kV6;
  from.priority = 10001;
  from.from = Net("fd00:244::/48");
  from.table = 1000;
  EXPECT_TRUE(std::any_of(v6.begin(), v6.end(), [&](const RuleInfo& r) { return r.rule == from; }));
}

TEST(CapturedReplies, NeighborsAndFdb) {
  auto neighbors = DecodeFile("neighbors.bin", &DecodeNeighbor);
  ASSERT_EQ(neighbors.size(), 1u);
  EXPECT_EQ(neighbors[0].neighbor.ip, Ip("10.200.0.9"));
  EXPECT_EQ(neighbors[0].neighbor.mac, Mac("02:00:00:00:00:09"));
  EXPECT_TRUE(neighbors[0].neighbor.permanent);
  auto fdb = DecodeFile("fdb.bin", &DecodeNeighbor);
  int vxlan_entries = 0;
  for (const NeighborInfo& n : fdb) {
    EXPECT_TRUE(n.neighbor.fdb);
    if (n.neighbor.ip) {
      ++vxlan_entries;
      EXPECT_EQ(n.neighbor.ip, Ip("10.200.0.2"));
      EXPECT_TRUE(n.flags & NTF_SELF);
    }
  }
  EXPECT_EQ(vxlan_entries, 2) << "the flooding entry and 02:00:00:00:00:01";
}

TEST(CapturedReplies, ErrorWithExtendedAck) {
  auto messages = ParseMessages(ReadCorpus("error-ext-ack.bin"));
  ASSERT_TRUE(messages.ok());
  auto ack = DecodeAck((*messages)[0]);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->error, ENETUNREACH);
  EXPECT_EQ(ack->message, "Nexthop has invalid gateway");
}

// Runs every decoder on every message of `bytes`; they may fail, never crash.
void DecodeEverything(const std::vector<uint8_t>& bytes) {
  auto messages = ParseMessages(bytes);
  if (!messages.ok()) return;
  for (const Message& m : *messages) {
    (void)DecodeAck(m);
    (void)DecodeLink(m);
    (void)DecodeAddress(m);
    (void)DecodeRoute(m);
    (void)DecodeRule(m);
    (void)DecodeNeighbor(m);
  }
}

class CorpusRobustness : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusRobustness, TruncationsAndFlippedBytesFailCleanly) {
  std::vector<uint8_t> bytes = ReadCorpus(GetParam());
  ASSERT_FALSE(bytes.empty());
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    DecodeEverything(cut);
    auto parsed = ParseMessages(cut);
    if (n > 0 && n < 16) {
      EXPECT_FALSE(parsed.ok()) << "a cut inside the first header, at " << n;
    }
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> flipped = bytes;
    flipped[i] ^= 0xff;
    DecodeEverything(flipped);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusRobustness,
                         ::testing::Values("links.bin", "addresses-v4.bin", "addresses-v6.bin",
                                           "routes-v4.bin", "routes-v6.bin", "rules-v4.bin",
                                           "rules-v6.bin", "neighbors.bin", "fdb.bin",
                                           "error-ext-ack.bin", "ack-and-done.bin"));

}  // namespace
}  // namespace egret::netlink
