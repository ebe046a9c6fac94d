#include "adapters/heartbeat/sockaddr.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace egret::heartbeat {
namespace {

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::string Endpoint::ToString() const {
  std::string host = address.ToString();
  if (!address.is_v4()) host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

StatusOr<socklen_t> ToSockaddr(const Endpoint& e, bool v6, sockaddr_storage* out) {
  std::memset(out, 0, sizeof(*out));
  const auto& b = e.address.bytes();
  if (!v6) {
    if (!e.address.is_v4()) {
      return InvalidError("heartbeat peer " + e.ToString() + " is IPv6, the socket is IPv4-only");
    }
    auto* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(e.port);
    std::memcpy(&sin->sin_addr, b.data(), 4);
    return static_cast<socklen_t>(sizeof(sockaddr_in));
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(e.port);
  if (e.address.is_v4()) {
    std::memcpy(sin6->sin6_addr.s6_addr, kMappedPrefix, 12);
    std::memcpy(sin6->sin6_addr.s6_addr + 12, b.data(), 4);
  } else {
    std::memcpy(sin6->sin6_addr.s6_addr, b.data(), 16);
  }
  return static_cast<socklen_t>(sizeof(sockaddr_in6));
}

StatusOr<Endpoint> FromSockaddr(const sockaddr_storage& s, socklen_t len) {
  if (s.ss_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&s);
    return Endpoint{.address = model::IpAddress::V4(ntohl(sin->sin_addr.s_addr)),
                    .port = ntohs(sin->sin_port)};
  }
  if (s.ss_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&s);
    const uint8_t* a = sin6->sin6_addr.s6_addr;
    uint16_t port = ntohs(sin6->sin6_port);
    if (std::equal(kMappedPrefix, kMappedPrefix + 12, a)) {
      uint32_t v4 =
          (uint32_t{a[12]} << 24) | (uint32_t{a[13]} << 16) | (uint32_t{a[14]} << 8) | a[15];
      return Endpoint{.address = model::IpAddress::V4(v4), .port = port};
    }
    std::array<uint8_t, 16> bytes;
    std::copy(a, a + 16, bytes.begin());
    return Endpoint{.address = model::IpAddress::V6(bytes), .port = port};
  }
  return InvalidError("heartbeat: socket address of family " + std::to_string(s.ss_family) +
                      " is neither IPv4 nor IPv6");
}

}  // namespace egret::heartbeat
