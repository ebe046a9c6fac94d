// Link requests and replies: veth with a peer in another namespace, bridge, VXLAN, changes,
// and decoding link replies.
#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Link;

AttrList Nested(const AttrList& attrs, uint16_t type) {
  const Attr* a = attrs.Find(type);
  EXPECT_NE(a, nullptr) << "nest " << type << " missing";
  if (!a) return AttrList();
  auto inner = AttrList::Parse(a->data);
  EXPECT_TRUE(inner.ok());
  return inner.ok() ? *inner : AttrList();
}

TEST(LinkCodec, VethPeerGoesIntoOtherNamespace) {
  LinkCreate spec;
  spec.link.name = "eg-a0";
  spec.link.kind = Link::Kind::kVeth;
  spec.link.mtu = 1400;
  spec.veth_peer = "eth0";
  spec.veth_peer_ns_fd = 17;
  Message m = OnlyMessage(EncodeCreateLink(spec, NLM_F_CREATE | NLM_F_EXCL));
  EXPECT_EQ(m.type, RTM_NEWLINK);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  auto d = Open<ifinfomsg>(m);
  EXPECT_EQ(d.attrs.Find(IFLA_IFNAME)->Str(), "eg-a0");
  EXPECT_EQ(U32Of(d.attrs, IFLA_MTU), 1400u);
  EXPECT_EQ(d.header.ifi_flags & IFF_UP, 0u);
  AttrList info = Nested(d.attrs, IFLA_LINKINFO);
  EXPECT_EQ(info.Find(IFLA_INFO_KIND)->Str(), "veth");
  AttrList data = Nested(info, IFLA_INFO_DATA);
  const Attr* peer = data.Find(VETH_INFO_PEER);
  ASSERT_NE(peer, nullptr);
  Bytes rest;
  ASSERT_TRUE(ReadHeader<ifinfomsg>(peer->data, "peer", &rest).ok());
  auto peer_attrs = AttrList::Parse(rest);
  ASSERT_TRUE(peer_attrs.ok());
  EXPECT_EQ(peer_attrs->Find(IFLA_IFNAME)->Str(), "eth0");
  EXPECT_EQ(U32Of(*peer_attrs, IFLA_NET_NS_FD), 17u);
  EXPECT_EQ(U32Of(*peer_attrs, IFLA_MTU), 1400u);
}

TEST(LinkCodec, VethInSameNamespaceHasNoNamespaceFd) {
  LinkCreate spec;
  spec.link.name = "v0";
  spec.link.kind = Link::Kind::kVeth;
  spec.veth_peer = "v1";
  Message m = OnlyMessage(EncodeCreateLink(spec, NLM_F_CREATE));
  auto d = Open<ifinfomsg>(m);
  EXPECT_EQ(d.attrs.Find(IFLA_MTU), nullptr);
  AttrList data = Nested(Nested(d.attrs, IFLA_LINKINFO), IFLA_INFO_DATA);
  Bytes rest;
  ASSERT_TRUE(ReadHeader<ifinfomsg>(data.Find(VETH_INFO_PEER)->data, "peer", &rest).ok());
  EXPECT_EQ(AttrList::Parse(rest)->Find(IFLA_NET_NS_FD), nullptr);
}

TEST(LinkCodec, BridgeWithMasterMacAndUp) {
  LinkCreate spec;
  spec.link.name = "eg-br";
  spec.link.kind = Link::Kind::kBridge;
  spec.link.up = true;
  spec.link.mac = Mac("02:00:00:00:00:01");
  spec.master_index = 9;
  auto d = Open<ifinfomsg>(OnlyMessage(EncodeCreateLink(spec, NLM_F_CREATE)));
  EXPECT_EQ(d.header.ifi_flags, static_cast<unsigned>(IFF_UP));
  EXPECT_EQ(d.header.ifi_change, static_cast<unsigned>(IFF_UP));
  EXPECT_EQ(U32Of(d.attrs, IFLA_MASTER), 9u);
  EXPECT_EQ(d.attrs.Find(IFLA_ADDRESS)->data.size(), 6u);
  AttrList info = Nested(d.attrs, IFLA_LINKINFO);
  EXPECT_EQ(info.Find(IFLA_INFO_KIND)->Str(), "bridge");
  EXPECT_EQ(info.Find(IFLA_INFO_DATA), nullptr);
}

LinkCreate VxlanCreate() {
  LinkCreate spec;
  spec.link.name = "egret.vx";
  spec.link.kind = Link::Kind::kVxlan;
  spec.link.vxlan_id = 42;
  spec.link.vxlan_port = 4789;
  spec.link.vxlan_local = Ip("10.200.0.1");
  spec.link.vxlan_learning = false;
  spec.vxlan_underlay_index = 3;
  return spec;
}

TEST(LinkCodec, VxlanCarriesIdLocalPortUnderlayLearningChecksum) {
  auto d = Open<ifinfomsg>(OnlyMessage(EncodeCreateLink(VxlanCreate(), NLM_F_CREATE)));
  AttrList info = Nested(d.attrs, IFLA_LINKINFO);
  EXPECT_EQ(info.Find(IFLA_INFO_KIND)->Str(), "vxlan");
  AttrList data = Nested(info, IFLA_INFO_DATA);
  EXPECT_EQ(U32Of(data, IFLA_VXLAN_ID), 42u);
  EXPECT_EQ(IpOf(data, IFLA_VXLAN_LOCAL), "10.200.0.1");
  EXPECT_EQ(data.Find(IFLA_VXLAN_LOCAL6), nullptr);
  EXPECT_EQ(data.Find(IFLA_VXLAN_PORT)->Be16(), 4789);
  EXPECT_EQ(U32Of(data, IFLA_VXLAN_LINK), 3u);
  EXPECT_EQ(data.Find(IFLA_VXLAN_LEARNING)->U8(), 0);
  EXPECT_EQ(data.Find(IFLA_VXLAN_UDP_CSUM)->U8(), 1);
  EXPECT_EQ(data.Find(IFLA_VXLAN_UDP_ZERO_CSUM6_TX)->U8(), 0);
}

TEST(LinkCodec, VxlanOverIpv6WithoutChecksum) {
  LinkCreate spec = VxlanCreate();
  spec.link.vxlan_local = Ip("fd00::1");
  spec.vxlan.udp_csum = false;
  spec.vxlan_underlay_index = 0;
  auto d = Open<ifinfomsg>(OnlyMessage(EncodeCreateLink(spec, NLM_F_CREATE)));
  AttrList data = Nested(Nested(d.attrs, IFLA_LINKINFO), IFLA_INFO_DATA);
  EXPECT_EQ(IpOf(data, IFLA_VXLAN_LOCAL6), "fd00::1");
  EXPECT_EQ(data.Find(IFLA_VXLAN_LINK), nullptr);
  EXPECT_EQ(data.Find(IFLA_VXLAN_UDP_ZERO_CSUM6_TX)->U8(), 1);
  EXPECT_EQ(data.Find(IFLA_VXLAN_UDP_ZERO_CSUM6_RX)->U8(), 1);
}

TEST(LinkCodec, ChangeSetsOnlyWhatIsGiven) {
  LinkChange c;
  c.index = 5;
  c.up = false;
  c.master_index = 0;
  auto d = Open<ifinfomsg>(OnlyMessage(EncodeChangeLink(c)));
  EXPECT_EQ(d.header.ifi_index, 5);
  EXPECT_EQ(d.header.ifi_flags, 0u);
  EXPECT_EQ(d.header.ifi_change, static_cast<unsigned>(IFF_UP));
  EXPECT_EQ(U32Of(d.attrs, IFLA_MASTER), 0u) << "0 releases the link from its master";
  EXPECT_EQ(d.attrs.Find(IFLA_MTU), nullptr);
  EXPECT_EQ(d.attrs.Find(IFLA_IFNAME), nullptr);

  LinkChange move;
  move.index = 5;
  move.ns_fd = 12;
  move.new_name = "eth0";
  auto m = Open<ifinfomsg>(OnlyMessage(EncodeChangeLink(move)));
  EXPECT_EQ(m.header.ifi_change, 0u);
  EXPECT_EQ(U32Of(m.attrs, IFLA_NET_NS_FD), 12u);
  EXPECT_EQ(m.attrs.Find(IFLA_IFNAME)->Str(), "eth0");
  EXPECT_EQ(m.attrs.Find(IFLA_MASTER), nullptr);
}

TEST(LinkCodec, GetDeleteAndDumpRequests) {
  Message get = OnlyMessage(EncodeGetLink("eg-a0"));
  EXPECT_EQ(get.type, RTM_GETLINK);
  EXPECT_EQ(get.flags, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(Open<ifinfomsg>(get).attrs.Find(IFLA_IFNAME)->Str(), "eg-a0");
  EXPECT_EQ(Open<ifinfomsg>(OnlyMessage(EncodeGetLinkByIndex(4))).header.ifi_index, 4);
  Message del = OnlyMessage(EncodeDeleteLink("eg-a0"));
  EXPECT_EQ(del.type, RTM_DELLINK);
  EXPECT_EQ(Open<ifinfomsg>(del).attrs.Find(IFLA_IFNAME)->Str(), "eg-a0");
  Message dump = OnlyMessage(EncodeDumpLinks());
  EXPECT_EQ(dump.flags, NLM_F_REQUEST | NLM_F_DUMP);
}

TEST(LinkCodec, DecodesVxlanReply) {
  LinkCreate spec = VxlanCreate();
  spec.link.mtu = 1400;
  spec.link.up = true;
  spec.link.mac = Mac("02:00:00:00:00:42");
  spec.master_index = 8;
  Message reply = AsReply(EncodeCreateLink(spec, 0), RTM_NEWLINK);
  auto info = DecodeLink(reply);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->link.name, "egret.vx");
  EXPECT_EQ(info->link.kind, Link::Kind::kVxlan);
  EXPECT_EQ(info->kind_name, "vxlan");
  EXPECT_TRUE(info->link.up);
  EXPECT_EQ(info->link.mtu, 1400);
  EXPECT_EQ(info->link.mac, Mac("02:00:00:00:00:42"));
  EXPECT_EQ(info->master_index, 8);
  EXPECT_EQ(info->link.vxlan_id, 42u);
  EXPECT_EQ(info->link.vxlan_port, 4789);
  EXPECT_EQ(info->link.vxlan_local, Ip("10.200.0.1"));
  EXPECT_EQ(info->vxlan_underlay_index, 3);
  EXPECT_FALSE(info->link.vxlan_learning);
  EXPECT_TRUE(info->vxlan.udp_csum);
}

TEST(LinkCodec, DecodeRejectsNamelessLinkAndWrongType) {
  MessageBuilder b(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_index = 7;
  b.Raw(ifi);
  auto nameless = DecodeLink(OnlyMessage(std::move(b).Finish()));
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.status().message(), "link index 7: has no name (IFLA_IFNAME)");
  auto wrong = DecodeLink(AsReply(EncodeGetLink("x"), RTM_NEWROUTE));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("is not a link (RTM_NEWLINK)"), std::string::npos);
}

TEST(LinkCodec, DecodeRejectsWrongSizedMtu) {
  MessageBuilder b(RTM_NEWLINK, 0);
  b.Raw(ifinfomsg{});
  b.Str(IFLA_IFNAME, "x");
  b.U16(IFLA_MTU, 1500);
  auto info = DecodeLink(OnlyMessage(std::move(b).Finish()));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().message(), "link index 0: IFLA_MTU has 2 bytes, want 4");
}

TEST(LinkName, AcceptsKernelNames) {
  EXPECT_TRUE(ValidateLinkName("egret.vxlan").ok());
  EXPECT_TRUE(ValidateLinkName("123456789012345").ok());
}

TEST(LinkName, RejectsEmptyLongAndSpecial) {
  EXPECT_EQ(ValidateLinkName("").message(), "a link name must not be empty");
  EXPECT_EQ(ValidateLinkName("1234567890123456").message(),
            "link name \"1234567890123456\" is longer than 15 bytes");
  for (const char* bad : {"a/b", "a:b", "a b", ".", ".."}) {
    Status st = ValidateLinkName(bad);
    EXPECT_EQ(st.code(), Code::kInvalid) << bad;
    EXPECT_NE(st.message().find("must not contain '/', ':' or spaces"), std::string::npos);
  }
}

}  // namespace
}  // namespace egret::netlink
