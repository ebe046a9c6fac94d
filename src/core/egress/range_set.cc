#include "core/egress/range_set.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace egret::core::egress {

using model::Family;
using model::IpAddress;
using model::IpRange;

namespace {

IpAddress FirstAddress(Family f) { return f == Family::kV4 ? IpAddress::V4(0) : IpAddress::V6({}); }

IpAddress Step(const IpAddress& ip, bool up) {
  if (ip.is_v4()) {
    const std::array<uint8_t, 16>& b = ip.bytes();
    uint32_t v = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    return IpAddress::V4(up ? v + 1 : v - 1);
  }
  std::array<uint8_t, 16> b = ip.bytes();
  for (int i = 15; i >= 0; --i) {
    uint8_t before = b[i];
    b[i] = static_cast<uint8_t>(up ? before + 1 : before - 1);
    if (up ? b[i] != 0 : before != 0) break;  // no carry / borrow further
  }
  return IpAddress::V6(b);
}

}  // namespace

IpAddress NextAddress(const IpAddress& ip) { return Step(ip, true); }
IpAddress PrevAddress(const IpAddress& ip) { return Step(ip, false); }

IpAddress LastAddress(Family f) {
  if (f == Family::kV4) return IpAddress::V4(UINT32_MAX);
  std::array<uint8_t, 16> b;
  b.fill(0xff);
  return IpAddress::V6(b);
}

RangeSet RangeSet::All(Family family) {
  RangeSet s(family);
  s.ranges_.push_back({FirstAddress(family), LastAddress(family)});
  return s;
}

RangeSet RangeSet::Of(Family family, std::span<const model::Cidr> cidrs) {
  std::vector<IpRange> ranges;
  for (const model::Cidr& c : cidrs) {
    if (c.family() == family) ranges.push_back({c.address(), c.last()});
  }
  return FromRanges(family, std::move(ranges));
}

RangeSet RangeSet::Of(Family family, std::span<const IpAddress> ips) {
  std::vector<IpRange> ranges;
  for (const IpAddress& ip : ips) {
    if (ip.family() == family) ranges.push_back({ip, ip});
  }
  return FromRanges(family, std::move(ranges));
}

RangeSet RangeSet::FromRanges(Family family, std::vector<IpRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const IpRange& a, const IpRange& b) { return a.first < b.first; });
  RangeSet s(family);
  const IpAddress last = LastAddress(family);
  for (const IpRange& r : ranges) {
    if (r.family() != family) continue;
    if (!s.ranges_.empty()) {
      IpRange& cur = s.ranges_.back();
      // Overlapping or adjacent: extend the current range.
      if (cur.last == last || r.first <= NextAddress(cur.last)) {
        cur.last = std::max(cur.last, r.last);
        continue;
      }
    }
    s.ranges_.push_back(r);
  }
  return s;
}

RangeSet RangeSet::Union(const RangeSet& other) const {
  std::vector<IpRange> all = ranges_;
  all.insert(all.end(), other.ranges_.begin(), other.ranges_.end());
  return FromRanges(family_, std::move(all));
}

RangeSet RangeSet::Intersect(const RangeSet& other) const {
  RangeSet out(family_);
  size_t i = 0, j = 0;
  while (i < ranges_.size() && j < other.ranges_.size()) {
    const IpRange& a = ranges_[i];
    const IpRange& b = other.ranges_[j];
    IpAddress lo = std::max(a.first, b.first);
    IpAddress hi = std::min(a.last, b.last);
    if (lo <= hi) out.ranges_.push_back({lo, hi});
    if (a.last < b.last) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

RangeSet RangeSet::Minus(const RangeSet& other) const {
  RangeSet out(family_);
  const std::vector<IpRange>& o = other.ranges_;
  size_t j = 0;
  for (IpRange a : ranges_) {
    while (j < o.size() && o[j].last < a.first) ++j;
    bool consumed = false;
    for (size_t k = j; k < o.size() && o[k].first <= a.last; ++k) {
      if (a.first < o[k].first) out.ranges_.push_back({a.first, PrevAddress(o[k].first)});
      if (a.last <= o[k].last) {
        consumed = true;
        break;
      }
      a.first = NextAddress(o[k].last);  // o[k].last < a.last, so this does not wrap
    }
    if (!consumed) out.ranges_.push_back(a);
  }
  return out;
}

bool RangeSet::Contains(const IpAddress& ip) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), ip,
                             [](const IpAddress& v, const IpRange& r) { return v < r.first; });
  return it != ranges_.begin() && std::prev(it)->Contains(ip);
}

std::string RangeSet::ToString() const {
  std::string out;
  for (const IpRange& r : ranges_) {
    if (!out.empty()) out += ",";
    out += r.first.ToString() + "-" + r.last.ToString();
  }
  return out;
}

}  // namespace egret::core::egress
