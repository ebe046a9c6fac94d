#include "core/netpol/ranges.h"

#include <algorithm>

namespace egret::core::netpol {
namespace {

// The address before `ip`; the caller guarantees it is not the family's first.
model::IpAddress Prev(const model::IpAddress& ip) {
  std::array<uint8_t, 16> b = ip.bytes();
  for (int i = ip.bits() / 8 - 1; i >= 0; --i) {
    auto idx = static_cast<size_t>(i);
    if (b[idx]-- != 0) break;  // no borrow needed further up
  }
  return ip.is_v4() ? model::IpAddress::V4((uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
                                           (uint32_t{b[2]} << 8) | b[3])
                    : model::IpAddress::V6(b);
}

bool IsLast(const model::IpAddress& ip) {
  const auto& b = ip.bytes();
  return std::all_of(b.begin(), b.begin() + ip.bits() / 8, [](uint8_t x) { return x == 0xff; });
}

}  // namespace

model::IpRange RangeOf(const model::Cidr& cidr) { return {cidr.address(), cidr.last()}; }

std::vector<model::IpRange> Normalize(std::vector<model::IpRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const model::IpRange& a, const model::IpRange& b) {
    return a.first < b.first;  // families order first: IPv4 before IPv6
  });
  std::vector<model::IpRange> out;
  for (const model::IpRange& r : ranges) {
    if (!out.empty()) {
      model::IpRange& back = out.back();
      bool same_family = back.family() == r.family();
      if (same_family &&
          (r.first <= back.last || (!IsLast(back.last) && back.last.Plus(1) == r.first))) {
        back.last = std::max(back.last, r.last);
        continue;
      }
    }
    out.push_back(r);
  }
  return out;
}

std::vector<model::IpRange> Subtract(const model::IpRange& base,
                                     std::span<const model::IpRange> holes) {
  std::vector<model::IpRange> sorted;
  for (const model::IpRange& h : holes) {
    if (h.family() == base.family() && h.Overlaps(base)) sorted.push_back(h);
  }
  sorted = Normalize(std::move(sorted));
  std::vector<model::IpRange> out;
  model::IpAddress next = base.first;  // the first address not yet decided
  bool done = false;
  for (const model::IpRange& h : sorted) {
    if (next < h.first) out.push_back({next, std::min(Prev(h.first), base.last)});
    if (h.last >= base.last || IsLast(h.last)) {
      done = true;
      break;
    }
    next = std::max(next, h.last.Plus(1));
  }
  if (!done && next <= base.last) out.push_back({next, base.last});
  return out;
}

bool RangesContain(std::span<const model::IpRange> ranges, const model::IpAddress& ip) {
  auto it = std::upper_bound(
      ranges.begin(), ranges.end(), ip,
      [](const model::IpAddress& a, const model::IpRange& r) { return a < r.first; });
  if (it == ranges.begin()) return false;
  return std::prev(it)->Contains(ip);
}

}  // namespace egret::core::netpol
