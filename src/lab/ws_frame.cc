#include "lab/ws_frame.h"

namespace egret::lab {
namespace {

bool IsControl(WsOpcode op) { return static_cast<uint8_t>(op) >= 0x8; }

bool IsKnown(uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

WsDecoded Error(uint16_t code, std::string error) {
  WsDecoded d;
  d.kind = WsDecoded::Kind::kError;
  d.close_code = code;
  d.error = std::move(error);
  return d;
}

// Reads `n` bytes big-endian at `p`.
uint64_t BigEndian(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | p[i];
  return v;
}

}  // namespace

std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload,
                          std::optional<WsMaskKey> mask) {
  std::string out;
  out.push_back(static_cast<char>(0x80 | static_cast<uint8_t>(opcode)));
  uint8_t mask_bit = mask ? 0x80 : 0;
  uint64_t n = payload.size();
  if (n <= 125) {
    out.push_back(static_cast<char>(mask_bit | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    for (int shift = 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  }
  if (!mask) return out.append(payload);
  out.append(mask->begin(), mask->end());
  for (size_t i = 0; i < payload.size(); ++i) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(payload[i]) ^ (*mask)[i % 4]));
  }
  return out;
}

std::string WsClosePayload(uint16_t code, std::string_view reason) {
  std::string out{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  return out.append(reason);
}

std::optional<uint16_t> WsCloseCode(std::string_view payload) {
  if (payload.size() < 2) return std::nullopt;
  return static_cast<uint16_t>(static_cast<uint8_t>(payload[0]) << 8 |
                               static_cast<uint8_t>(payload[1]));
}

WsDecoded DecodeWsFrame(std::string_view input, const WsDecodeLimits& limits) {
  const auto* p = reinterpret_cast<const uint8_t*>(input.data());
  if (input.size() < 2) return {};
  bool fin = p[0] & 0x80;
  uint8_t op = p[0] & 0x0F;
  if (p[0] & 0x70) return Error(kWsCloseProtocolError, "reserved bits are set");
  if (!IsKnown(op)) return Error(kWsCloseProtocolError, "unknown opcode " + std::to_string(op));
  auto opcode = static_cast<WsOpcode>(op);
  bool masked = p[1] & 0x80;
  if (masked != limits.masked) {
    return Error(kWsCloseProtocolError,
                 limits.masked ? "a client frame is not masked" : "a server frame is masked");
  }
  uint64_t length = p[1] & 0x7F;
  // Checked on the 7-bit length already: a control frame never needs the extended forms.
  if (IsControl(opcode) && (!fin || length > kWsMaxControlPayload)) {
    return Error(kWsCloseProtocolError, "a control frame is fragmented or over 125 bytes");
  }
  size_t header = 2;
  if (length >= 126) {
    size_t extra = length == 126 ? 2 : 8;
    if (input.size() < header + extra) return {};
    length = BigEndian(p + header, extra);
    header += extra;
    if (extra == 8 && (length >> 63) != 0) {
      return Error(kWsCloseProtocolError, "the 64-bit length has its top bit set");
    }
    if (length <= (extra == 2 ? 125u : 0xFFFFu)) {
      return Error(kWsCloseProtocolError, "the length is not in its shortest form");
    }
  }
  if (opcode == WsOpcode::kClose && length == 1) {
    return Error(kWsCloseProtocolError, "a close frame with a 1-byte payload");
  }
  if (length > limits.max_payload) {
    return Error(kWsCloseTooBig, "a payload of " + std::to_string(length) + " bytes (at most " +
                                     std::to_string(limits.max_payload) + ")");
  }
  size_t mask_at = header;
  if (masked) header += 4;
  if (input.size() < header + length) return {};
  WsDecoded d;
  d.kind = WsDecoded::Kind::kFrame;
  d.frame.fin = fin;
  d.frame.opcode = opcode;
  d.frame.payload.assign(input.substr(header, length));
  if (masked) {
    for (size_t i = 0; i < d.frame.payload.size(); ++i) d.frame.payload[i] ^= p[mask_at + i % 4];
  }
  d.consumed = header + length;
  return d;
}

}  // namespace egret::lab
