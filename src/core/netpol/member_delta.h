// Member deltas of a node's policy state: when the only difference between two states of a
// node is which addresses (or address-protocol-port tuples) are in its sets — pods elsewhere in
// the cluster coming, going or being relabelled — the controller streams just the members
// added and removed per set, not the whole state (watchPolicy DELTA frames):
//
//   {"addressSets": [{"name": "a…", "add": ["10.244.2.12"], "remove": ["10.244.3.4"]}],
//    "portSets":    [{"name": "n…", "add": ["10.244.2.12 TCP 80"], "remove": []}]}
//
// Only the sets that changed are listed. Anything else changing (a pod of this node, a rule, a
// set appearing) needs the whole state.
#pragma once

#include <optional>

#include "common/status.h"
#include "core/netpol/compiled.h"
#include "doc/value.h"

namespace egret::core::netpol {

// The delta from `prev` to `next`, or nullopt when they differ in more than set members (or
// not at all: an empty delta is never produced).
std::optional<doc::Value> EncodeMemberDelta(const NodePolicyState& prev,
                                            const NodePolicyState& next);

// `prev` with `delta` applied; members stay sorted and unique. Invalid for a malformed delta or
// one naming a set `prev` does not have; a member to remove that is absent, or to add that is
// present, is Invalid too (the delta was made against another state).
StatusOr<NodePolicyState> ApplyMemberDelta(const NodePolicyState& prev, const doc::Value& delta);

}  // namespace egret::core::netpol
