// Kernel objects in the words of `ip`, for error messages and logs: "route 10.244.2.0/24 via
// 10.0.0.2 dev egret.vxlan table 100 onlink". Defaults (main table, Egret's protocol, universe
// scope) are left out so the common case reads short.
#pragma once

#include <string>
#include <string_view>

#include "model/kernel.h"

namespace egret::netlink {

std::string DescribeRoute(const model::Route& r);
std::string DescribeRule(const model::Rule& r);
std::string DescribeNeighbor(const model::Neighbor& n);
std::string DescribeAddress(std::string_view device, const model::InterfaceAddress& a);

}  // namespace egret::netlink
