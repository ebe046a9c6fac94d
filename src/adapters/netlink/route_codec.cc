// Routes: RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE, and decoding route replies.
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_util.h"
#include "adapters/netlink/describe.h"

namespace egret::netlink {
namespace {

rtmsg RouteHeader(const model::Route& r) {
  rtmsg rtm{};
  rtm.rtm_family = static_cast<uint8_t>(AfOf(r.dst.family()));
  rtm.rtm_dst_len = static_cast<uint8_t>(r.dst.prefix_len());
  // rtm_table is 8 bits: larger tables travel in RTA_TABLE only.
  rtm.rtm_table = static_cast<uint8_t>(r.table < 256 ? r.table : RT_TABLE_UNSPEC);
  rtm.rtm_protocol = r.protocol;
  rtm.rtm_scope = static_cast<uint8_t>(r.scope);
  rtm.rtm_type = RTN_UNICAST;
  if (r.onlink) rtm.rtm_flags = RTNH_F_ONLINK;
  return rtm;
}

// The attributes that say which route is meant (and, for a replace, what it is).
void PutRouteAttrs(MessageBuilder& b, const model::Route& r, int oif_index) {
  if (r.dst.prefix_len() > 0) b.Put(RTA_DST, IpBytes(r.dst.address()));
  b.U32(RTA_TABLE, r.table);
  if (r.gateway) b.Put(RTA_GATEWAY, IpBytes(*r.gateway));
  if (oif_index > 0) b.U32(RTA_OIF, static_cast<uint32_t>(oif_index));
  if (r.metric) b.U32(RTA_PRIORITY, r.metric);
}

}  // namespace

Status ValidateRoute(const model::Route& r) {
  model::Family f = r.dst.family();
  if (r.gateway && r.gateway->family() != f) {
    return InvalidError(DescribeRoute(r) + ": the gateway is " +
                        std::string(model::FamilyName(r.gateway->family())) +
                        " but the destination is " + std::string(model::FamilyName(f)));
  }
  if (r.preferred_source && r.preferred_source->family() != f) {
    return InvalidError(DescribeRoute(r) + ": the preferred source is " +
                        std::string(model::FamilyName(r.preferred_source->family())) +
                        " but the destination is " + std::string(model::FamilyName(f)));
  }
  if (r.table == 0) return InvalidError(DescribeRoute(r) + ": table 0 is not a routing table");
  return Status::Ok();
}

std::vector<uint8_t> EncodeReplaceRoute(const model::Route& r, int oif_index) {
  MessageBuilder b(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  b.Raw(RouteHeader(r));
  PutRouteAttrs(b, r, oif_index);
  if (r.preferred_source) b.Put(RTA_PREFSRC, IpBytes(*r.preferred_source));
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDeleteRoute(const model::Route& r, int oif_index) {
  MessageBuilder b(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK);
  rtmsg rtm = RouteHeader(r);
  rtm.rtm_scope = RT_SCOPE_NOWHERE;  // "any scope": the route is identified by its key
  rtm.rtm_flags = 0;
  b.Raw(rtm);
  PutRouteAttrs(b, r, oif_index);
  return std::move(b).Finish();
}

std::vector<uint8_t> EncodeDumpRoutes(model::Family family) {
  MessageBuilder b(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
  rtmsg rtm{};
  rtm.rtm_family = static_cast<uint8_t>(AfOf(family));
  b.Raw(rtm);
  return std::move(b).Finish();
}

StatusOr<RouteInfo> DecodeRoute(const Message& m) {
  if (m.type != RTM_NEWROUTE) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not a route (RTM_NEWROUTE)");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(rtmsg rtm, ReadHeader<rtmsg>(m.payload, "route message", &rest));
  if (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6) {
    return InvalidError("route message: family " + std::to_string(rtm.rtm_family) +
                        " is neither AF_INET nor AF_INET6");
  }
  int bits = rtm.rtm_family == AF_INET ? 32 : 128;
  if (rtm.rtm_dst_len > bits) {
    return InvalidError("route message: destination length " + std::to_string(rtm.rtm_dst_len) +
                        " is longer than " + std::to_string(bits));
  }
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(rest));
  AttrReader r(attrs, "route message");
  int af = rtm.rtm_family;
  model::IpAddress zero = af == AF_INET ? model::IpAddress::V4(0) : model::IpAddress::V6({});
  RouteInfo info;
  model::Route& route = info.route;
  route.dst = model::Cidr(r.Ip(RTA_DST, af, "RTA_DST").value_or(zero), rtm.rtm_dst_len);
  route.gateway = r.Ip(RTA_GATEWAY, af, "RTA_GATEWAY");
  route.preferred_source = r.Ip(RTA_PREFSRC, af, "RTA_PREFSRC");
  route.table = r.U32(RTA_TABLE, "RTA_TABLE").value_or(rtm.rtm_table);
  route.protocol = rtm.rtm_protocol;
  route.scope = static_cast<model::Route::Scope>(rtm.rtm_scope);
  route.onlink = (rtm.rtm_flags & RTNH_F_ONLINK) != 0;
  route.metric = r.U32(RTA_PRIORITY, "RTA_PRIORITY").value_or(0);
  info.oif_index = static_cast<int>(r.U32(RTA_OIF, "RTA_OIF").value_or(0));
  info.type = rtm.rtm_type;
  info.flags = rtm.rtm_flags;
  info.multipath = r.Has(RTA_MULTIPATH);
  RETURN_IF_ERROR(r.status());
  return info;
}

}  // namespace egret::netlink
