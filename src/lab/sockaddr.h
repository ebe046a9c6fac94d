// Conversions between model::IpAddress and socket addresses for the probe client and server.
#pragma once

#include <sys/socket.h>

#include <string>

#include "model/net.h"

namespace egret::lab {

// A sockaddr_in or sockaddr_in6 for ip:port; *len receives its size.
sockaddr_storage ToSockaddr(const model::IpAddress& ip, int port, socklen_t* len);
// The address part as canonical text; an IPv4-mapped IPv6 address ("::ffff:10.0.0.1") is
// written as the IPv4 address, as a dual-stack server sees IPv4 clients that way.
std::string AddressText(const sockaddr_storage& sa);

}  // namespace egret::lab
