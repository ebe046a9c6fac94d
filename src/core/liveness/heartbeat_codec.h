// The heartbeat datagram: what a node tells the gateway-capable nodes every interval. Pure
// encode/decode over bytes; decoding treats its input as untrusted (any datagram from the
// underlay may land on the heartbeat port).
//
// Wire format (big endian, at most kMaxHeartbeatSize bytes):
//   0  2  magic "EH"
//   2  1  version (kHeartbeatVersion)
//   3  1  node name length N (1..kMaxNodeNameBytes)
//   4  8  boot id (random per agent start, never 0)
//  12  8  sequence (starts at 1, +1 per beat within a boot)
//  20  N  node name ([a-z0-9.-], starts and ends with [a-z0-9])
// A datagram must be exactly 20 + N bytes: trailing bytes are an error, so that a future version
// that adds fields has to bump `version` instead of being half-understood.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::liveness {

inline constexpr uint8_t kHeartbeatVersion = 1;
inline constexpr size_t kHeartbeatHeaderSize = 20;
inline constexpr size_t kMaxHeartbeatSize = 64;
inline constexpr size_t kMaxNodeNameBytes = kMaxHeartbeatSize - kHeartbeatHeaderSize;  // 44

struct Heartbeat {
  uint8_t version = kHeartbeatVersion;
  std::string node;
  uint64_t boot_id = 0;
  uint64_t sequence = 0;

  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

// Invalid when the node name is empty, longer than kMaxNodeNameBytes or not a lowercase DNS
// name, or boot_id / sequence is 0. Used by both Encode and Decode.
Status ValidateHeartbeat(const Heartbeat& beat);

// The datagram for `beat` (its version field is written as given). Invalid as
// ValidateHeartbeat says; never longer than kMaxHeartbeatSize.
StatusOr<std::vector<uint8_t>> EncodeHeartbeat(const Heartbeat& beat);

// Strict decode of an untrusted datagram: wrong magic, unknown version, wrong length or an
// invalid field is an Invalid status naming the byte offset or field; never reads past `bytes`.
StatusOr<Heartbeat> DecodeHeartbeat(std::span<const uint8_t> bytes);

}  // namespace egret::liveness
