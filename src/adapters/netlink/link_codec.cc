// Links: RTM_NEWLINK (create, change), RTM_DELLINK, RTM_GETLINK, and decoding link replies.
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_util.h"
#include "common/strings.h"

namespace egret::netlink {
namespace {

constexpr uint16_t kRequest = NLM_F_REQUEST | NLM_F_ACK;

std::string_view KindName(model::Link::Kind kind) {
  switch (kind) {
    case model::Link::Kind::kVeth:
      return "veth";
    case model::Link::Kind::kBridge:
      return "bridge";
    case model::Link::Kind::kVxlan:
      return "vxlan";
    case model::Link::Kind::kOther:
      break;
  }
  return "";
}

model::Link::Kind KindFromName(std::string_view name) {
  if (name == "veth") return model::Link::Kind::kVeth;
  if (name == "bridge") return model::Link::Kind::kBridge;
  if (name == "vxlan") return model::Link::Kind::kVxlan;
  return model::Link::Kind::kOther;
}

void PutVethData(MessageBuilder& b, const LinkCreate& spec) {
  size_t data = b.BeginNested(IFLA_INFO_DATA);
  size_t peer = b.BeginNested(VETH_INFO_PEER);
  b.Raw(ifinfomsg{});  // the peer's own header, then its attributes
  b.Str(IFLA_IFNAME, spec.veth_peer);
  if (spec.veth_peer_ns_fd >= 0) b.U32(IFLA_NET_NS_FD, static_cast<uint32_t>(spec.veth_peer_ns_fd));
  int peer_mtu = spec.veth_peer_mtu ? spec.veth_peer_mtu : spec.link.mtu;
  if (peer_mtu > 0) b.U32(IFLA_MTU, static_cast<uint32_t>(peer_mtu));
  b.EndNested(peer);
  b.EndNested(data);
}

void PutVxlanData(MessageBuilder& b, const LinkCreate& spec) {
  const model::Link& l = spec.link;
  size_t data = b.BeginNested(IFLA_INFO_DATA);
  b.U32(IFLA_VXLAN_ID, l.vxlan_id);
  if (l.vxlan_local) {
    b.Put(l.vxlan_local->is_v4() ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, IpBytes(*l.vxlan_local));
  }
  b.Be16(IFLA_VXLAN_PORT, l.vxlan_port);
  if (spec.vxlan_underlay_index > 0) {
    b.U32(IFLA_VXLAN_LINK, static_cast<uint32_t>(spec.vxlan_underlay_index));
  }
  b.U8(IFLA_VXLAN_LEARNING, l.vxlan_learning ? 1 : 0);
  // Each family has its own switch; setting both keeps the option right for either underlay.
  b.U8(IFLA_VXLAN_UDP_CSUM, spec.vxlan.udp_csum ? 1 : 0);
  b.U8(IFLA_VXLAN_UDP_ZERO_CSUM6_TX, spec.vxlan.udp_csum ? 0 : 1);
  b.U8(IFLA_VXLAN_UDP_ZERO_CSUM6_RX, spec.vxlan.udp_csum ? 0 : 1);
  b.EndNested(data);
}

ifinfomsg LinkHeader(int index) {
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = index;
  return ifi;
}

}  // namespace

Status ValidateLinkName(std::string_view name) {
  if (name.empty()) return InvalidError("a link name must not be empty");
  if (name.size() >= IFNAMSIZ) {
    return InvalidError("link name " + Quote(name) + " is longer than " +
                        std::to_string(IFNAMSIZ - 1) + " bytes");
  }
  bool bad_char = std::any_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c));
  });
  if (bad_char || name == "." || name == "..") {
    return InvalidError("link name " + Quote(name) +
                        " must not contain '/', ':' or spaces, nor be \".\" or \"..\"");
  }
  return Status::Ok();
}

std::vector<uint8_t> EncodeCreateLink(const LinkCreate& spec, uint16_t flags) {
  const model::Link& l = spec.link;
  MessageBuilder b(RTM_NEWLINK, kRequest | flags);
  ifinfomsg ifi = LinkHeader(0);
  if (l.up) {
    ifi.ifi_flags = IFF_UP;
    ifi.ifi_change = IFF_UP;
  }
  b.Raw(ifi);
  b.Str(IFLA_IFNAME, l.name);
  if (l.mtu > 0) b.U32(IFLA_MTU, static_cast<uint32_t>(l.mtu));
  if (l.mac) b.Put(IFLA_ADDRESS, l.mac->data(), l.mac->size());
  if (spec.master_index > 0) b.U32(IFLA_MASTER, static_cast<uint32_t>(spec.master_index));
  size_t info = b.BeginNested(IFLA_LINKINFO);
  b.Str(IFLA_INFO_KIND, KindName(l.kind));
  if (l.kind == model::Link::Kind::kVeth) PutVethData(b, spec);
  if (l.kind == model::Link::Kind::kVxlan) PutVxlanData(b, spec);
  b.EndNested(info);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeChangeLink(const LinkChange& c) {
  MessageBuilder b(RTM_NEWLINK, kRequest);
  ifinfomsg ifi = LinkHeader(c.index);
  if (c.up) {
    ifi.ifi_flags = *c.up ? IFF_UP : 0;
    ifi.ifi_change = IFF_UP;
  }
  b.Raw(ifi);
  if (c.master_index) b.U32(IFLA_MASTER, static_cast<uint32_t>(*c.master_index));
  if (c.mtu) b.U32(IFLA_MTU, static_cast<uint32_t>(*c.mtu));
  if (c.mac) b.Put(IFLA_ADDRESS, c.mac->data(), c.mac->size());
  if (c.ns_fd >= 0) b.U32(IFLA_NET_NS_FD, static_cast<uint32_t>(c.ns_fd));
  if (!c.new_name.empty()) b.Str(IFLA_IFNAME, c.new_name);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDeleteLink(std::string_view name) {
  MessageBuilder b(RTM_DELLINK, kRequest);
  b.Raw(LinkHeader(0));
  b.Str(IFLA_IFNAME, name);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeGetLink(std::string_view name) {
  MessageBuilder b(RTM_GETLINK, kRequest);
  b.Raw(LinkHeader(0));
  b.Str(IFLA_IFNAME, name);
  b.U32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeGetLinkByIndex(int index) {
  MessageBuilder b(RTM_GETLINK, kRequest);
  b.Raw(LinkHeader(index));
  b.U32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDumpLinks() {
  MessageBuilder b(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
  b.Raw(LinkHeader(0));
  b.U32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return std::move(b).Finish();
}

namespace {

Status DecodeVxlanData(Bytes data, LinkInfo* info) {
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(data));
  AttrReader r(attrs, "vxlan link " + info->link.name);
  model::Link& l = info->link;
  l.vxlan_id = r.U32(IFLA_VXLAN_ID, "IFLA_VXLAN_ID").value_or(0);
  l.vxlan_port = r.Be16(IFLA_VXLAN_PORT, "IFLA_VXLAN_PORT").value_or(0);
  l.vxlan_local = r.Ip(IFLA_VXLAN_LOCAL, AF_INET, "IFLA_VXLAN_LOCAL");
  if (!l.vxlan_local) l.vxlan_local = r.Ip(IFLA_VXLAN_LOCAL6, AF_INET6, "IFLA_VXLAN_LOCAL6");
  info->vxlan_underlay_index =
      static_cast<int>(r.U32(IFLA_VXLAN_LINK, "IFLA_VXLAN_LINK").value_or(0));
  l.vxlan_learning = r.U8(IFLA_VXLAN_LEARNING, "IFLA_VXLAN_LEARNING").value_or(0) != 0;
  if (l.vxlan_local && !l.vxlan_local->is_v4()) {
    info->vxlan.udp_csum =
        r.U8(IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "IFLA_VXLAN_UDP_ZERO_CSUM6_TX").value_or(0) == 0;
  } else {
    info->vxlan.udp_csum = r.U8(IFLA_VXLAN_UDP_CSUM, "IFLA_VXLAN_UDP_CSUM").value_or(0) != 0;
  }
  return r.status();
}

Status DecodeLinkInfo(Bytes nest, LinkInfo* info) {
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(nest));
  AttrReader r(attrs, "link " + info->link.name + " IFLA_LINKINFO");
  info->kind_name = r.Str(IFLA_INFO_KIND).value_or("");
  info->link.kind = KindFromName(info->kind_name);
  const Attr* data = r.Find(IFLA_INFO_DATA);
  if (info->link.kind == model::Link::Kind::kVxlan && data) {
    RETURN_IF_ERROR(DecodeVxlanData(data->data, info));
  }
  return r.status();
}

}  // namespace

StatusOr<LinkInfo> DecodeLink(const Message& m) {
  if (m.type != RTM_NEWLINK) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not a link (RTM_NEWLINK)");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(ifinfomsg ifi, ReadHeader<ifinfomsg>(m.payload, "link message", &rest));
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(rest));
  LinkInfo info;
  info.link.index = ifi.ifi_index;
  info.link.up = (ifi.ifi_flags & IFF_UP) != 0;
  AttrReader r(attrs, "link index " + std::to_string(ifi.ifi_index));
  auto name = r.Str(IFLA_IFNAME);
  if (!name || name->empty()) r.Fail("has no name (IFLA_IFNAME)");
  info.link.name = name.value_or("");
  info.link.mtu = static_cast<int>(r.U32(IFLA_MTU, "IFLA_MTU").value_or(0));
  info.link.mac = r.Mac(IFLA_ADDRESS);
  info.master_index = static_cast<int>(r.U32(IFLA_MASTER, "IFLA_MASTER").value_or(0));
  info.peer_index = static_cast<int>(r.U32(IFLA_LINK, "IFLA_LINK").value_or(0));
  info.peer_in_other_ns = r.Has(IFLA_LINK_NETNSID);
  RETURN_IF_ERROR(r.status());
  if (const Attr* li = r.Find(IFLA_LINKINFO)) RETURN_IF_ERROR(DecodeLinkInfo(li->data, &info));
  return info;
}

}  // namespace egret::netlink
