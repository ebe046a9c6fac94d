#include "model/net.h"

#include <charconv>

#include "common/strings.h"

namespace egret::model {
namespace {

std::optional<uint32_t> ParseV4(std::string_view s) {
  auto parts = Split(s, '.');
  if (parts.size() != 4) return std::nullopt;
  uint32_t v = 0;
  for (std::string_view p : parts) {
    if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0')) return std::nullopt;
    unsigned octet = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), octet);
    if (ec != std::errc() || ptr != p.data() + p.size() || octet > 255) return std::nullopt;
    v = (v << 8) | octet;
  }
  return v;
}

std::optional<std::array<uint8_t, 16>> ParseV6(std::string_view s) {
  std::array<uint8_t, 16> out{};
  if (s.empty()) return std::nullopt;
  // Split around "::" (at most one).
  size_t dc = s.find("::");
  if (dc != std::string_view::npos && s.find("::", dc + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto parse_groups = [](std::string_view part, std::array<uint16_t, 8>& groups, int& n,
                         bool allow_v4_tail) -> bool {
    if (part.empty()) return true;
    auto items = Split(part, ':');
    for (size_t i = 0; i < items.size(); ++i) {
      std::string_view g = items[i];
      if (allow_v4_tail && i + 1 == items.size() && g.find('.') != std::string_view::npos) {
        auto v4 = ParseV4(g);
        if (!v4 || n > 6) return false;
        groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(*v4 >> 16);
        groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(*v4 & 0xffff);
        continue;
      }
      if (g.empty() || g.size() > 4 || n >= 8) return false;
      unsigned v = 0;
      auto [ptr, ec] = std::from_chars(g.data(), g.data() + g.size(), v, 16);
      if (ec != std::errc() || ptr != g.data() + g.size()) return false;
      groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(v);
    }
    return true;
  };
  std::array<uint16_t, 8> head{}, tail{};
  int nh = 0, nt = 0;
  if (dc == std::string_view::npos) {
    if (!parse_groups(s, head, nh, true) || nh != 8) return std::nullopt;
  } else {
    if (!parse_groups(s.substr(0, dc), head, nh, false)) return std::nullopt;
    if (!parse_groups(s.substr(dc + 2), tail, nt, true)) return std::nullopt;
    if (nh + nt > 7) return std::nullopt;
  }
  std::array<uint16_t, 8> groups{};
  for (int i = 0; i < nh; ++i) groups[static_cast<size_t>(i)] = head[static_cast<size_t>(i)];
  for (int i = 0; i < nt; ++i) groups[static_cast<size_t>(8 - nt + i)] = tail[static_cast<size_t>(i)];
  for (size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  return out;
}

}  // namespace

std::string_view FamilyName(Family f) { return f == Family::kV4 ? "IPv4" : "IPv6"; }

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    auto b = ParseV6(text);
    if (!b) return std::nullopt;
    return V6(*b);
  }
  auto v4 = ParseV4(text);
  if (!v4) return std::nullopt;
  return V4(*v4);
}

IpAddress IpAddress::V4(uint32_t host_order) {
  IpAddress ip;
  ip.family_ = Family::kV4;
  ip.bytes_[0] = static_cast<uint8_t>(host_order >> 24);
  ip.bytes_[1] = static_cast<uint8_t>(host_order >> 16);
  ip.bytes_[2] = static_cast<uint8_t>(host_order >> 8);
  ip.bytes_[3] = static_cast<uint8_t>(host_order);
  return ip;
}

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kV6;
  ip.bytes_ = bytes;
  return ip;
}

std::string IpAddress::ToString() const {
  if (is_v4()) {
    return std::to_string(bytes_[0]) + "." + std::to_string(bytes_[1]) + "." +
           std::to_string(bytes_[2]) + "." + std::to_string(bytes_[3]);
  }
  std::array<uint16_t, 8> g{};
  for (size_t i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[static_cast<size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[static_cast<size_t>(j)] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  static const char* kHex = "0123456789abcdef";
  auto hex = [&](uint16_t v) {
    std::string s;
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (v >> shift) & 0xf;
      if (d || started || shift == 0) {
        s += kHex[d];
        started = true;
      }
    }
    return s;
  };
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += hex(g[static_cast<size_t>(i)]);
  }
  return out;
}

IpAddress IpAddress::Plus(uint64_t n) const {
  IpAddress r = *this;
  int last = is_v4() ? 3 : 15;
  unsigned carry = 0;
  for (int i = last; i >= 0; --i) {
    unsigned sum = r.bytes_[static_cast<size_t>(i)] + static_cast<unsigned>(n & 0xff) + carry;
    r.bytes_[static_cast<size_t>(i)] = static_cast<uint8_t>(sum & 0xff);
    carry = sum >> 8;
    n >>= 8;
  }
  return r;
}

IpAddress IpAddress::Masked(int prefix_len) const {
  IpAddress r = *this;
  int total = bits() / 8;
  for (int i = 0; i < total; ++i) {
    int keep = prefix_len - i * 8;
    uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
    r.bytes_[static_cast<size_t>(i)] &= mask;
  }
  return r;
}

std::optional<Cidr> Cidr::Parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Cidr> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return fail(Quote(text) + " is not a CIDR (address/prefix)");
  auto ip = IpAddress::Parse(text.substr(0, slash));
  if (!ip) return fail(Quote(text) + " is not a CIDR: bad address");
  auto len = ParseInt(text.substr(slash + 1));
  if (!len || *len < 0 || *len > ip->bits() || (text.size() > slash + 2 && text[slash + 1] == '0')) {
    return fail(Quote(text) + " is not a CIDR: bad prefix length");
  }
  Cidr c(*ip, static_cast<int>(*len));
  if (c.address() != *ip) {
    return fail(Quote(text) + " has host bits set (did you mean " + Quote(c.ToString()) + "?)");
  }
  return c;
}

IpAddress Cidr::last() const {
  IpAddress r = addr_;
  auto bytes = r.bytes();
  int total = addr_.bits() / 8;
  for (int i = 0; i < total; ++i) {
    int keep = len_ - i * 8;
    uint8_t host = keep >= 8 ? 0 : keep <= 0 ? 0xff : static_cast<uint8_t>(0xff >> keep);
    bytes[static_cast<size_t>(i)] |= host;
  }
  return addr_.is_v4() ? IpAddress::V4(static_cast<uint32_t>(bytes[0]) << 24 |
                                       static_cast<uint32_t>(bytes[1]) << 16 |
                                       static_cast<uint32_t>(bytes[2]) << 8 | bytes[3])
                       : IpAddress::V6(bytes);
}

bool Cidr::Contains(const IpAddress& ip) const {
  return ip.family() == family() && ip.Masked(len_) == addr_;
}

bool Cidr::Contains(const Cidr& other) const {
  return other.family() == family() && other.len_ >= len_ && Contains(other.addr_);
}

bool Cidr::Overlaps(const Cidr& other) const { return Contains(other) || other.Contains(*this); }

std::string Cidr::ToString() const { return addr_.ToString() + "/" + std::to_string(len_); }

std::optional<IpRange> IpRange::Parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<IpRange> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (text.find('/') != std::string_view::npos) {
    auto c = Cidr::Parse(text, error);
    if (!c) return std::nullopt;
    return IpRange{c->address(), c->last()};
  }
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    auto ip = IpAddress::Parse(text);
    if (!ip) return fail(Quote(text) + " is not an IP address, range or CIDR");
    return IpRange{*ip, *ip};
  }
  auto a = IpAddress::Parse(text.substr(0, dash));
  auto b = IpAddress::Parse(text.substr(dash + 1));
  if (!a || !b) return fail(Quote(text) + " is not a valid range: both ends must be IP addresses");
  if (a->family() != b->family()) return fail(Quote(text) + " mixes IPv4 and IPv6");
  if (*b < *a) return fail(Quote(text) + " is not a valid range: the end is before the start");
  return IpRange{*a, *b};
}

std::string IpRange::ToString() const {
  return first == last ? first.ToString() : first.ToString() + "-" + last.ToString();
}

uint64_t IpRange::Size() const {
  // Difference of the low 64 bits, saturating when the high bits differ.
  const auto& f = first.bytes();
  const auto& l = last.bytes();
  size_t n = first.is_v4() ? 4 : 16;
  size_t start = n > 8 ? n - 8 : 0;
  for (size_t i = 0; i < start; ++i) {
    if (f[i] != l[i]) return UINT64_MAX;
  }
  uint64_t a = 0, b = 0;
  for (size_t i = start; i < n; ++i) {
    a = a << 8 | f[i];
    b = b << 8 | l[i];
  }
  uint64_t d = b - a;
  return d == UINT64_MAX ? d : d + 1;
}

}  // namespace egret::model
