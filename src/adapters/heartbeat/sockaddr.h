// Endpoint ↔ sockaddr conversion for the heartbeat socket (internal to this folder). A
// dual-stack (AF_INET6) socket reaches IPv4 peers through IPv4-mapped addresses (::ffff:a.b.c.d);
// these convert back to plain IPv4 so peers are named the same way on either socket kind.
#pragma once

#include <sys/socket.h>

#include "adapters/heartbeat/heartbeat_socket.h"

namespace egret::heartbeat {

// The address to pass to sendto/bind on a socket of family AF_INET6 (v6 true) or AF_INET.
// Invalid for an IPv6 endpoint on an AF_INET socket.
StatusOr<socklen_t> ToSockaddr(const Endpoint& e, bool v6, sockaddr_storage* out);

// The endpoint a recvfrom/getsockname address names; Invalid for other families.
StatusOr<Endpoint> FromSockaddr(const sockaddr_storage& s, socklen_t len);

}  // namespace egret::heartbeat
