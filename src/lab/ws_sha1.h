// SHA-1 (FIPS 180-4), only for the WebSocket handshake's Sec-WebSocket-Accept value (RFC 6455
// §4.2.2). SHA-1 is broken for collision resistance; the handshake does not rely on that, and
// nothing else in Egret may use this.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace egret::lab {

using Sha1Digest = std::array<uint8_t, 20>;

// The digest of `data` (any length, bytes taken as they are).
Sha1Digest Sha1(std::string_view data);

}  // namespace egret::lab
