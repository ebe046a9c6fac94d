// Fuzz target: the agent's decoding of a node's egress state (a watchEgress STATE frame from the
// controller, or egress-state.json read back after a restart). Any input must parse and decode
// or give a clean error; what decodes must survive encode → decode unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/egress/node_state_codec.h"
#include "doc/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto v = egret::doc::ParseJson(text);
  if (!v.ok()) return 0;
  auto state = egret::core::egress::DecodeNodeEgressState(*v);
  if (!state.ok()) return 0;
  auto again = egret::core::egress::DecodeNodeEgressState(
      egret::core::egress::EncodeNodeEgressState(*state));
  if (!again.ok() || !(*again == *state)) __builtin_trap();
  return 0;
}
