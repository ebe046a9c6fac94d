#include "lab/sockaddr.h"

#include <netinet/in.h>

#include <array>
#include <cstring>

namespace egret::lab {

sockaddr_storage ToSockaddr(const model::IpAddress& ip, int port, socklen_t* len) {
  sockaddr_storage ss{};
  if (ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&sin->sin_addr, ip.bytes().data(), 4);
    *len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&sin6->sin6_addr, ip.bytes().data(), 16);
    *len = sizeof(sockaddr_in6);
  }
  return ss;
}

std::string AddressText(const sockaddr_storage& sa) {
  if (sa.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&sa);
    return model::IpAddress::V4(ntohl(sin->sin_addr.s_addr)).ToString();
  }
  if (sa.ss_family != AF_INET6) return "";
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&sa);
  std::array<uint8_t, 16> bytes;
  std::memcpy(bytes.data(), &sin6->sin6_addr, 16);
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes.data(), kMapped, 12) == 0) {
    uint32_t v4 = (uint32_t{bytes[12]} << 24) | (uint32_t{bytes[13]} << 16) |
                  (uint32_t{bytes[14]} << 8) | bytes[15];
    return model::IpAddress::V4(v4).ToString();
  }
  return model::IpAddress::V6(bytes).ToString();
}

}  // namespace egret::lab
