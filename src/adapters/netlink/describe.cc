#include "adapters/netlink/describe.h"

#include <cstdio>

namespace egret::netlink {
namespace {

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%x", v);
  return buf;
}

std::string ScopeName(model::Route::Scope s) {
  switch (s) {
    case model::Route::Scope::kUniverse:
      return "global";
    case model::Route::Scope::kLink:
      return "link";
    case model::Route::Scope::kHost:
      return "host";
  }
  return std::to_string(static_cast<int>(s));
}

}  // namespace

std::string DescribeRoute(const model::Route& r) {
  std::string s = "route " + r.dst.ToString();
  if (r.gateway) s += " via " + r.gateway->ToString();
  if (!r.device.empty()) s += " dev " + r.device;
  if (r.table != 254) s += " table " + std::to_string(r.table);
  if (r.protocol != model::kRouteProtocol) s += " proto " + std::to_string(r.protocol);
  if (r.scope != model::Route::Scope::kUniverse) s += " scope " + ScopeName(r.scope);
  if (r.metric) s += " metric " + std::to_string(r.metric);
  if (r.preferred_source) s += " src " + r.preferred_source->ToString();
  if (r.onlink) s += " onlink";
  return s;
}

std::string DescribeRule(const model::Rule& r) {
  std::string s = "rule " + std::to_string(r.priority);
  s += " from " + (r.from ? r.from->ToString() : std::string("all"));
  if (r.to) s += " to " + r.to->ToString();
  if (!r.iif.empty()) s += " iif " + r.iif;
  if (r.fwmark) {
    s += " fwmark " + Hex(*r.fwmark);
    if (r.fwmask != 0xffffffff) s += "/" + Hex(r.fwmask);
  }
  s += " lookup " + std::to_string(r.table);
  if (r.family == model::Family::kV6) s += " (IPv6)";
  return s;
}

std::string DescribeNeighbor(const model::Neighbor& n) {
  std::string s;
  if (n.fdb) {
    s = "fdb " + model::MacToString(n.mac);
    if (n.ip) s += " dst " + n.ip->ToString();
  } else {
    s = "neighbor " + (n.ip ? n.ip->ToString() : std::string("(no address)"));
    s += " lladdr " + model::MacToString(n.mac);
  }
  s += " dev " + n.device;
  return s;
}

std::string DescribeAddress(std::string_view device, const model::InterfaceAddress& a) {
  return "address " + a.ip.ToString() + "/" + std::to_string(a.prefix_len) + " dev " +
         std::string(device);
}

}  // namespace egret::netlink
