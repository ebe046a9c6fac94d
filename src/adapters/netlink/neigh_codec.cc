// Neighbours and FDB entries: RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH, and decoding replies.
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_util.h"
#include "adapters/netlink/describe.h"

namespace egret::netlink {
namespace {

ndmsg NeighborHeader(const model::Neighbor& n, int index) {
  ndmsg ndm{};
  ndm.ndm_family = static_cast<uint8_t>(n.fdb ? AF_BRIDGE : AfOf(n.ip->family()));
  ndm.ndm_ifindex = index;
  // A VXLAN FDB accepts only permanent or reachable entries.
  ndm.ndm_state = n.permanent ? NUD_PERMANENT : NUD_REACHABLE;
  // NTF_SELF: the entry belongs to the device itself (the VXLAN FDB), not to a bridge above it.
  ndm.ndm_flags = n.fdb ? NTF_SELF : 0;
  return ndm;
}

}  // namespace

bool IsZeroMac(const model::MacAddress& mac) {
  return std::all_of(mac.begin(), mac.end(), [](uint8_t b) { return b == 0; });
}

Status ValidateNeighbor(const model::Neighbor& n) {
  if (!n.fdb && !n.ip) {
    return InvalidError(DescribeNeighbor(n) + ": a neighbour entry needs an IP address");
  }
  return Status::Ok();
}

std::vector<uint8_t> EncodeReplaceNeighbor(const model::Neighbor& n, int index) {
  // Flooding entries (all-zero MAC) may list several remotes; replace would drop the others.
  uint16_t mode = n.fdb && IsZeroMac(n.mac) ? NLM_F_APPEND : NLM_F_REPLACE;
  MessageBuilder b(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | mode);
  b.Raw(NeighborHeader(n, index));
  if (n.ip) b.Put(NDA_DST, IpBytes(*n.ip));
  b.Put(NDA_LLADDR, n.mac.data(), n.mac.size());
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDeleteNeighbor(const model::Neighbor& n, int index) {
  MessageBuilder b(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK);
  ndmsg ndm = NeighborHeader(n, index);
  ndm.ndm_state = 0;
  b.Raw(ndm);
  if (n.ip) b.Put(NDA_DST, IpBytes(*n.ip));
  if (n.fdb) b.Put(NDA_LLADDR, n.mac.data(), n.mac.size());
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDumpNeighbors(bool fdb) {
  MessageBuilder b(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP);
  ndmsg ndm{};
  ndm.ndm_family = fdb ? AF_BRIDGE : AF_UNSPEC;
  b.Raw(ndm);
  return std::move(b).Finish();
}

StatusOr<NeighborInfo> DecodeNeighbor(const Message& m) {
  if (m.type != RTM_NEWNEIGH) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not a neighbour (RTM_NEWNEIGH)");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(ndmsg ndm, ReadHeader<ndmsg>(m.payload, "neighbour message", &rest));
  int af = ndm.ndm_family;
  if (af != AF_INET && af != AF_INET6 && af != AF_BRIDGE) {
    return InvalidError("neighbour message: family " + std::to_string(af) +
                        " is not AF_INET, AF_INET6 or AF_BRIDGE");
  }
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(rest));
  AttrReader r(attrs, "neighbour on link index " + std::to_string(ndm.ndm_ifindex));
  NeighborInfo info;
  model::Neighbor& n = info.neighbor;
  n.fdb = af == AF_BRIDGE;
  if (n.fdb) {
    // An FDB destination is an underlay address of either family.
    if (const Attr* dst = r.Find(NDA_DST)) {
      n.ip = IpFromBytes(dst->data);
      if (!n.ip) r.Fail("NDA_DST has " + std::to_string(dst->data.size()) + " bytes, want 4 or 16");
    }
  } else {
    n.ip = r.Ip(NDA_DST, af, "NDA_DST");
    if (!n.ip && r.status().ok()) r.Fail("has no NDA_DST");
  }
  n.mac = r.Mac(NDA_LLADDR).value_or(model::MacAddress{});
  n.permanent = (ndm.ndm_state & NUD_PERMANENT) != 0;
  info.index = ndm.ndm_ifindex;
  info.state = ndm.ndm_state;
  info.flags = ndm.ndm_flags;
  info.master_index = static_cast<int>(r.U32(NDA_MASTER, "NDA_MASTER").value_or(0));
  RETURN_IF_ERROR(r.status());
  return info;
}

}  // namespace egret::netlink
