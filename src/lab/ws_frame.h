// WebSocket frames (RFC 6455 §5): pure encoding and decoding over byte strings, for the lab's
// probe server and client. Decoding takes untrusted input: every length is checked before it
// is used, and a frame whose payload is over the limit is refused from its header alone, so a
// peer cannot make the reader buffer more than one limit's worth.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace egret::lab {

enum class WsOpcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close status codes (RFC 6455 §7.4.1) this code sends.
inline constexpr uint16_t kWsCloseNormal = 1000;
inline constexpr uint16_t kWsCloseGoingAway = 1001;
inline constexpr uint16_t kWsCloseProtocolError = 1002;
inline constexpr uint16_t kWsCloseUnsupported = 1003;
inline constexpr uint16_t kWsCloseTooBig = 1009;

inline constexpr size_t kWsMaxPayload = 64 * 1024;   // the probe's limit, both directions
inline constexpr size_t kWsMaxControlPayload = 125;  // RFC 6455 §5.5

using WsMaskKey = std::array<uint8_t, 4>;

struct WsFrame {
  bool fin = true;
  WsOpcode opcode = WsOpcode::kText;
  std::string payload;  // unmasked
  friend bool operator==(const WsFrame&, const WsFrame&) = default;
};

// One frame with FIN set. With a mask key the frame is masked (what a client must send),
// without it plain (what a server must send). The shortest length encoding is used.
std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload,
                          std::optional<WsMaskKey> mask = std::nullopt);

// A close frame's payload: the status code (big-endian) and an optional UTF-8 reason.
std::string WsClosePayload(uint16_t code, std::string_view reason = "");
// The status code of a close payload; nullopt when it carries none (empty payload).
std::optional<uint16_t> WsCloseCode(std::string_view payload);

struct WsDecodeLimits {
  bool masked = true;  // true: frames must be masked (a server reading a client); false: not
  size_t max_payload = kWsMaxPayload;
};

struct WsDecoded {
  enum class Kind { kNeedMore, kFrame, kError };
  Kind kind = Kind::kNeedMore;
  WsFrame frame;            // kFrame
  size_t consumed = 0;      // kFrame: bytes of `input` the frame took
  uint16_t close_code = 0;  // kError: the status code to close with (1002 or 1009)
  std::string error;        // kError: what was wrong
};

// Decodes the frame at the start of `input`. kNeedMore when `input` holds only part of it.
// Errors: reserved bits set, an unknown opcode, a control frame that is fragmented or has over
// 125 bytes of payload, a close payload of 1 byte, a masked/unmasked frame against
// limits.masked, a length that is not in its shortest form or has the top bit set (protocol
// errors, 1002), a payload over limits.max_payload (1009).
WsDecoded DecodeWsFrame(std::string_view input, const WsDecodeLimits& limits);

}  // namespace egret::lab
