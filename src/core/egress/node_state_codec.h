// The wire and disk form of NodeEgressState: what the controller streams to one agent and what
// the agent persists, so that a restarted agent programs egress while the controller is away.
// JSON field names follow the API's camelCase; the layout is documented in
// docs/reference/api.md ("watchEgress").
#pragma once

#include "common/status.h"
#include "core/egress/node_state.h"
#include "doc/value.h"

namespace egret::core::egress {

doc::Value EncodeNodeEgressState(const NodeEgressState& state);

// Strict: a wrong type, a malformed address, an unknown field or a target index out of range
// is Invalid, naming the field path ("NodeEgressState "n1": steering[3].target: ...").
StatusOr<NodeEgressState> DecodeNodeEgressState(const doc::Value& v);

}  // namespace egret::core::egress
