// The WebSocket opening handshake (RFC 6455 §4) over HTTP/1.1: pure parsing, validation and
// composition of the upgrade request and its answers, for the lab's probe server and client.
// The parser takes untrusted input: it is strict (CRLF line ends only, no line folding, no
// control characters) and bounded by kWsMaxHeadSize.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace egret::lab {

// The most a request or response head (start line, header fields, empty line) may take.
inline constexpr size_t kWsMaxHeadSize = 8 * 1024;

// The size of the head at the start of `buffer` (through its "\r\n\r\n"), 0 while incomplete.
size_t FindHttpHeadEnd(std::string_view buffer);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC 6455 GUID)).
std::string WsAcceptValue(std::string_view key);

struct WsUpgradeRequest {
  std::string target;  // "/..."
  std::string key;     // Sec-WebSocket-Key as sent
};

// Validates a client's opening handshake; `head` is the whole head, final empty line included.
// Wants `GET <origin-form target> HTTP/1.1`, exactly one non-empty Host, an Upgrade list with
// the token "websocket", a Connection list with "Upgrade" (tokens case-insensitive, header
// fields may repeat), exactly one `Sec-WebSocket-Version: 13` and exactly one
// Sec-WebSocket-Key that is 16 bytes in base64. The error (kInvalid) says in a few words what
// is wrong, fit for the body of a 400 answer.
StatusOr<WsUpgradeRequest> ParseWsUpgradeRequest(std::string_view head);

// The client's request for `target` on `host` ("10.0.0.1:8080", "[fd00::1]:8080").
std::string WsUpgradeRequestText(std::string_view host, std::string_view target,
                                 std::string_view key);
// "101 Switching Protocols" with the accept value for `key`.
std::string WsSwitchingProtocolsText(std::string_view key);
// "400 Bad Request" with `reason` as a one-line text body; the server closes after it.
std::string WsBadRequestText(std::string_view reason);

// Validates the server's answer to a request that sent `key`: `HTTP/1.1 101`, Upgrade
// "websocket", Connection "Upgrade", the right Sec-WebSocket-Accept, and no extension or
// subprotocol (none was asked for). Another status gives "handshake rejected: 400 Bad Request".
Status CheckWsUpgradeResponse(std::string_view head, std::string_view key);

}  // namespace egret::lab
