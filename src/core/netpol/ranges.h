// Address range arithmetic for ipBlock / networks peers: the compiled form matches addresses
// against sorted, disjoint intervals (what an nftables interval set holds).
#pragma once

#include <span>
#include <vector>

#include "model/net.h"

namespace egret::core::netpol {

model::IpRange RangeOf(const model::Cidr& cidr);

// Sorts and merges overlapping or adjacent ranges (of either family; IPv4 first).
std::vector<model::IpRange> Normalize(std::vector<model::IpRange> ranges);

// `base` minus every hole (holes of the other family are ignored); normalized. Empty when the
// holes cover `base` (an except larger than its block).
std::vector<model::IpRange> Subtract(const model::IpRange& base,
                                     std::span<const model::IpRange> holes);

// Whether a normalized list contains `ip`; O(log n).
bool RangesContain(std::span<const model::IpRange> ranges, const model::IpAddress& ip);

}  // namespace egret::core::netpol
