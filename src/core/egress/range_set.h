// Sets of IP addresses of one family as sorted, disjoint, non-adjacent inclusive ranges: the
// arithmetic behind "every destination that is not internal" and behind resolving overlapping
// destSubnets into a table the datapath can look up once.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/net.h"

namespace egret::core::egress {

class RangeSet {
 public:
  explicit RangeSet(model::Family family) : family_(family) {}

  static RangeSet All(model::Family family);
  // The members of `cidrs` / `ips` of `family` (others are skipped), normalized.
  static RangeSet Of(model::Family family, std::span<const model::Cidr> cidrs);
  static RangeSet Of(model::Family family, std::span<const model::IpAddress> ips);
  // Any ranges of `family`, overlapping or not, normalized.
  static RangeSet FromRanges(model::Family family, std::vector<model::IpRange> ranges);

  model::Family family() const { return family_; }
  bool empty() const { return ranges_.empty(); }
  const std::vector<model::IpRange>& ranges() const { return ranges_; }

  RangeSet Union(const RangeSet& other) const;
  RangeSet Intersect(const RangeSet& other) const;
  RangeSet Minus(const RangeSet& other) const;
  bool Contains(const model::IpAddress& ip) const;

  // "10.0.0.0-10.0.0.255,10.0.2.1-10.0.2.1"; for test messages and debugging.
  std::string ToString() const;
  friend bool operator==(const RangeSet&, const RangeSet&) = default;

 private:
  model::Family family_;
  std::vector<model::IpRange> ranges_;
};

// The neighbours of an address in its family's space. Preconditions: ip is not the family's
// last address (Next) / not its first (Prev).
model::IpAddress NextAddress(const model::IpAddress& ip);
model::IpAddress PrevAddress(const model::IpAddress& ip);
model::IpAddress LastAddress(model::Family family);

}  // namespace egret::core::egress
