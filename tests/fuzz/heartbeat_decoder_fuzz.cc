// Fuzz target: the heartbeat decoder (any datagram that reaches the heartbeat port). Any input
// must decode or give a clean error: no crash or over-read. What decodes must re-encode to the
// very same bytes, since the format has exactly one encoding per value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/liveness/heartbeat_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  auto beat = egret::liveness::DecodeHeartbeat(input);
  if (!beat.ok()) return 0;
  if (size > egret::liveness::kMaxHeartbeatSize) __builtin_trap();
  auto again = egret::liveness::EncodeHeartbeat(*beat);
  if (!again.ok() || !std::equal(again->begin(), again->end(), input.begin(), input.end())) {
    __builtin_trap();
  }
  return 0;
}
