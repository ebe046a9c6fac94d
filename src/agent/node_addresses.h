// Which of the underlay interface's addresses name the node: the first global address of each
// family, IPv4 first. Link-local and loopback addresses never do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/netlink/rtnl.h"

namespace egret::agent {

std::vector<model::IpAddress> PickNodeAddresses(const std::vector<netlink::DeviceAddress>& addrs);

// The device of the main table's default route (IPv4 first, then IPv6; the lowest metric
// wins): the underlay interface when none is configured. "" when there is no default route.
std::string DefaultRouteDevice(const std::vector<model::Route>& v4,
                               const std::vector<model::Route>& v6);

// The node label that overrides the underlay interface for one node.
inline constexpr std::string_view kUnderlayInterfaceLabel = "egret.io/underlay-interface";

}  // namespace egret::agent
