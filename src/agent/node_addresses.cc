#include "agent/node_addresses.h"

namespace egret::agent {
namespace {

bool Usable(const model::IpAddress& ip) {
  const auto& b = ip.bytes();
  if (ip.is_v4()) return b[0] != 127 && !(b[0] == 169 && b[1] == 254);
  bool link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
  bool loopback = ip == *model::IpAddress::Parse("::1");
  return !link_local && !loopback;
}

}  // namespace

std::vector<model::IpAddress> PickNodeAddresses(const std::vector<netlink::DeviceAddress>& addrs) {
  std::vector<model::IpAddress> out;
  for (model::Family f : {model::Family::kV4, model::Family::kV6}) {
    for (const netlink::DeviceAddress& a : addrs) {
      if (a.address.ip.family() == f && Usable(a.address.ip)) {
        out.push_back(a.address.ip);
        break;
      }
    }
  }
  return out;
}

std::string DefaultRouteDevice(const std::vector<model::Route>& v4,
                               const std::vector<model::Route>& v6) {
  for (const auto* routes : {&v4, &v6}) {
    const model::Route* best = nullptr;
    for (const model::Route& r : *routes) {
      if (r.table != 254 || r.dst.prefix_len() != 0 || r.device.empty()) continue;
      if (!best || r.metric < best->metric) best = &r;
    }
    if (best) return best->device;
  }
  return "";
}

}  // namespace egret::agent
