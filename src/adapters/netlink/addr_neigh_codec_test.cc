// Address and neighbour/FDB requests and replies.
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_test_util.h"
#include "adapters/netlink/describe.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::InterfaceAddress;
using model::Neighbor;

TEST(AddressCodec, Ipv4AddIsCreateOrReplace) {
  InterfaceAddress a{.ip = Ip("10.244.1.1"), .prefix_len = 24};
  Message m = OnlyMessage(EncodeAddAddress(4, a));
  EXPECT_EQ(m.type, RTM_NEWADDR);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  auto d = Open<ifaddrmsg>(m);
  EXPECT_EQ(d.header.ifa_family, AF_INET);
  EXPECT_EQ(d.header.ifa_prefixlen, 24);
  EXPECT_EQ(d.header.ifa_index, 4u);
  EXPECT_EQ(d.header.ifa_scope, RT_SCOPE_UNIVERSE);
  EXPECT_EQ(IpOf(d.attrs, IFA_LOCAL), "10.244.1.1");
  EXPECT_EQ(IpOf(d.attrs, IFA_ADDRESS), "10.244.1.1");
  EXPECT_EQ(d.attrs.Find(IFA_FLAGS), nullptr);
}

TEST(AddressCodec, Ipv6SkipsDuplicateDetection) {
  InterfaceAddress a{.ip = Ip("fd00::1"), .prefix_len = 64};
  auto d = Open<ifaddrmsg>(OnlyMessage(EncodeAddAddress(4, a)));
  EXPECT_EQ(d.header.ifa_family, AF_INET6);
  EXPECT_EQ(d.header.ifa_flags, IFA_F_NODAD);
  EXPECT_EQ(U32Of(d.attrs, IFA_FLAGS), static_cast<uint32_t>(IFA_F_NODAD));
}

TEST(AddressCodec, LoopbackIsHostScoped) {
  InterfaceAddress a{.ip = Ip("127.0.0.2"), .prefix_len = 8};
  EXPECT_EQ(Open<ifaddrmsg>(OnlyMessage(EncodeAddAddress(1, a))).header.ifa_scope, RT_SCOPE_HOST);
}

TEST(AddressCodec, DecodesWhatItEncodes) {
  InterfaceAddress a{.ip = Ip("fd00:1::5"), .prefix_len = 120};
  auto info = DecodeAddress(AsReply(EncodeAddAddress(9, a), RTM_NEWADDR));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->address, a);
  EXPECT_EQ(info->index, 9);
  EXPECT_EQ(info->flags, static_cast<uint32_t>(IFA_F_NODAD));
  Message del = OnlyMessage(EncodeDeleteAddress(9, a));
  EXPECT_EQ(del.type, RTM_DELADDR);
  EXPECT_EQ(del.flags, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(OnlyMessage(EncodeDumpAddresses(model::Family::kV6)).flags, NLM_F_REQUEST | NLM_F_DUMP);
}

TEST(AddressCodec, DecodeNeedsAnAddress) {
  MessageBuilder b(RTM_NEWADDR, 0);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  ifa.ifa_index = 3;
  b.Raw(ifa);
  auto info = DecodeAddress(OnlyMessage(std::move(b).Finish()));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().message(),
            "address on link index 3: has neither IFA_LOCAL nor IFA_ADDRESS");
}

TEST(AddressCodec, DecodeRejectsLongPrefix) {
  MessageBuilder b(RTM_NEWADDR, 0);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET6;
  ifa.ifa_prefixlen = 129;
  b.Raw(ifa);
  auto info = DecodeAddress(OnlyMessage(std::move(b).Finish()));
  EXPECT_EQ(info.status().message(), "address message: prefix length 129 is longer than 128");
}

Neighbor Fdb(std::string_view mac, std::string_view dst) {
  return Neighbor{
      .device = "egret.vx", .ip = Ip(dst), .mac = Mac(mac), .fdb = true, .permanent = true};
}

TEST(NeighborCodec, FdbEntryBelongsToTheDevice) {
  Message m = OnlyMessage(EncodeReplaceNeighbor(Fdb("02:00:00:00:00:01", "10.0.0.2"), 5));
  EXPECT_EQ(m.type, RTM_NEWNEIGH);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  auto d = Open<ndmsg>(m);
  EXPECT_EQ(d.header.ndm_family, AF_BRIDGE);
  EXPECT_EQ(d.header.ndm_ifindex, 5);
  EXPECT_EQ(d.header.ndm_flags, NTF_SELF);
  EXPECT_EQ(d.header.ndm_state, NUD_PERMANENT);
  EXPECT_EQ(IpOf(d.attrs, NDA_DST), "10.0.0.2");
  EXPECT_EQ(d.attrs.Find(NDA_LLADDR)->data.size(), 6u);
}

TEST(NeighborCodec, FloodingEntryIsAppended) {
  Message m = OnlyMessage(EncodeReplaceNeighbor(Fdb("00:00:00:00:00:00", "fd00::2"), 5));
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND);
  EXPECT_EQ(IpOf(Open<ndmsg>(m).attrs, NDA_DST), "fd00::2");
}

TEST(NeighborCodec, NeighborUsesAddressFamily) {
  Neighbor n{.device = "eth0",
             .ip = Ip("fd00::9"),
             .mac = Mac("02:00:00:00:00:09"),
             .fdb = false,
             .permanent = false};
  auto d = Open<ndmsg>(OnlyMessage(EncodeReplaceNeighbor(n, 2)));
  EXPECT_EQ(d.header.ndm_family, AF_INET6);
  EXPECT_EQ(d.header.ndm_flags, 0);
  EXPECT_EQ(d.header.ndm_state, NUD_REACHABLE);
  Message del = OnlyMessage(EncodeDeleteNeighbor(n, 2));
  EXPECT_EQ(del.type, RTM_DELNEIGH);
  EXPECT_EQ(Open<ndmsg>(del).attrs.Find(NDA_LLADDR), nullptr);
}

TEST(NeighborCodec, DecodesWhatItEncodes) {
  for (const Neighbor& n :
       {Fdb("02:00:00:00:00:01", "10.0.0.2"), Fdb("00:00:00:00:00:00", "fd00::2"),
        Neighbor{.device = "eth0",
        .ip = Ip("10.0.0.9"),
        .mac = Mac("02:00:00:00:00:09"),
        .fdb = false,
        .permanent = true}}) {
    auto info = DecodeNeighbor(AsReply(EncodeReplaceNeighbor(n, 5), RTM_NEWNEIGH));
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    Neighbor want = n;
    want.device = "";
    EXPECT_EQ(info->neighbor, want) << DescribeNeighbor(n);
    EXPECT_EQ(info->index, 5);
  }
}

TEST(NeighborCodec, DecodeRejectsNeighborWithoutAddress) {
  MessageBuilder b(RTM_NEWNEIGH, 0);
  ndmsg ndm{};
  ndm.ndm_family = AF_INET;
  ndm.ndm_ifindex = 4;
  b.Raw(ndm);
  auto info = DecodeNeighbor(OnlyMessage(std::move(b).Finish()));
  EXPECT_EQ(info.status().message(), "neighbour on link index 4: has no NDA_DST");
}

TEST(NeighborCodec, DecodeRejectsOddFdbDestination) {
  MessageBuilder b(RTM_NEWNEIGH, 0);
  ndmsg ndm{};
  ndm.ndm_family = AF_BRIDGE;
  b.Raw(ndm);
  uint8_t five[5] = {};
  b.Put(NDA_DST, five, sizeof(five));
  auto info = DecodeNeighbor(OnlyMessage(std::move(b).Finish()));
  EXPECT_EQ(info.status().message(),
            "neighbour on link index 0: NDA_DST has 5 bytes, want 4 or 16");
}

TEST(NeighborValidation, NeighborNeedsAddress) {
  Neighbor n{.device = "eth0",
             .ip = std::nullopt,
             .mac = Mac("02:00:00:00:00:09"),
             .fdb = false,
             .permanent = true};
  EXPECT_EQ(ValidateNeighbor(n).message(),
            "neighbor (no address) lladdr 02:00:00:00:00:09 dev eth0: a neighbour entry needs an "
            "IP address");
  n.fdb = true;
  EXPECT_TRUE(ValidateNeighbor(n).ok()) << "an FDB entry of a bridge port needs none";
}

TEST(Descriptions, AddressAndFdb) {
  EXPECT_EQ(DescribeAddress("eth0", InterfaceAddress{.ip = Ip("10.0.0.1"), .prefix_len = 24}),
            "address 10.0.0.1/24 dev eth0");
  EXPECT_EQ(DescribeNeighbor(Fdb("00:00:00:00:00:00", "10.0.0.2")),
            "fdb 00:00:00:00:00:00 dst 10.0.0.2 dev egret.vx");
}

}  // namespace
}  // namespace egret::netlink
