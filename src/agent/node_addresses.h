// Which of the underlay interface's addresses name the node: the first global address of each
// family, IPv4 first. Link-local and loopback addresses never do.
#pragma once

#include <vector>

#include "adapters/netlink/rtnl.h"

namespace egret::agent {

std::vector<model::IpAddress> PickNodeAddresses(const std::vector<netlink::DeviceAddress>& addrs);

}  // namespace egret::agent
