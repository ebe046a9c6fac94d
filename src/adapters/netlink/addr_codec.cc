// Interface addresses: RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR, and decoding address replies.
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_util.h"

namespace egret::netlink {
namespace {

ifaddrmsg AddrHeader(int index, const model::InterfaceAddress& a) {
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<uint8_t>(AfOf(a.ip.family()));
  ifa.ifa_prefixlen = static_cast<uint8_t>(a.prefix_len);
  ifa.ifa_index = static_cast<uint32_t>(index);
  // Loopback addresses are host-scoped, as the kernel gives 127.0.0.1 on lo.
  bool loopback = a.ip.is_v4() && a.ip.bytes()[0] == 127;
  ifa.ifa_scope = loopback ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  return ifa;
}

}  // namespace

std::vector<uint8_t> EncodeAddAddress(int index, const model::InterfaceAddress& a,
                                      bool deprecated) {
  MessageBuilder b(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  ifaddrmsg ifa = AddrHeader(index, a);
  uint32_t flags = a.ip.is_v4() ? 0 : IFA_F_NODAD;
  ifa.ifa_flags = static_cast<uint8_t>(flags);
  b.Raw(ifa);
  b.Put(IFA_LOCAL, IpBytes(a.ip));
  b.Put(IFA_ADDRESS, IpBytes(a.ip));
  if (flags) b.U32(IFA_FLAGS, flags);
  if (deprecated) {
    ifa_cacheinfo ci{};
    ci.ifa_prefered = 0;
    ci.ifa_valid = 0xffffffffu;  // INFINITY_LIFE_TIME
    b.Put(IFA_CACHEINFO, &ci, sizeof ci);
  }
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDeleteAddress(int index, const model::InterfaceAddress& a) {
  MessageBuilder b(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK);
  b.Raw(AddrHeader(index, a));
  b.Put(IFA_LOCAL, IpBytes(a.ip));
  b.Put(IFA_ADDRESS, IpBytes(a.ip));
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDumpAddresses(model::Family family) {
  MessageBuilder b(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<uint8_t>(AfOf(family));
  b.Raw(ifa);
  return std::move(b).Finish();
}

StatusOr<AddressInfo> DecodeAddress(const Message& m) {
  if (m.type != RTM_NEWADDR) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not an address (RTM_NEWADDR)");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(ifaddrmsg ifa, ReadHeader<ifaddrmsg>(m.payload, "address message", &rest));
  if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6) {
    return InvalidError("address message: family " + std::to_string(ifa.ifa_family) +
                        " is neither AF_INET nor AF_INET6");
  }
  int bits = ifa.ifa_family == AF_INET ? 32 : 128;
  if (ifa.ifa_prefixlen > bits) {
    return InvalidError("address message: prefix length " + std::to_string(ifa.ifa_prefixlen) +
                        " is longer than " + std::to_string(bits));
  }
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(rest));
  AttrReader r(attrs, "address on link index " + std::to_string(ifa.ifa_index));
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
  auto ip = r.Ip(IFA_LOCAL, ifa.ifa_family, "IFA_LOCAL");
  if (!ip) ip = r.Ip(IFA_ADDRESS, ifa.ifa_family, "IFA_ADDRESS");
  if (!ip) r.Fail("has neither IFA_LOCAL nor IFA_ADDRESS");
  AddressInfo info;
  info.index = static_cast<int>(ifa.ifa_index);
  info.scope = ifa.ifa_scope;
  info.flags = r.U32(IFA_FLAGS, "IFA_FLAGS").value_or(ifa.ifa_flags);
  RETURN_IF_ERROR(r.status());
  info.address = model::InterfaceAddress{.ip = *ip, .prefix_len = ifa.ifa_prefixlen};
  return info;
}

}  // namespace egret::netlink
