// The wire and disk form of NodePolicyState: what the controller streams to one agent
// (watchPolicy) and what the agent persists, so that a restarted agent enforces policy while
// the controller is away. JSON field names in the API's camelCase:
//
//   {"node": "n1",
//    "nodePods": [{"namespace": "x", "name": "a", "addresses": ["10.244.1.10"]}],
//    "addressSets": [{"name": "a…", "key": "pods ns=x pod={pod=b}", "members": ["10.244.2.11"]}],
//    "portSets": [{"name": "n…", "key": "port serve-80-tcp", "members": ["10.244.2.11 TCP 80"]}],
//    "pods": [{"namespace": "x", "name": "a", "addresses": [...],
//              "ingress": {"admin": TIER, "networkPolicy": TIER, "baseline": TIER},
//              "egress": {...}}]}
//   TIER = {"rules": [RULE], "otherwise": "Accept" | "Drop" | "NextTier"}
//   RULE = {"peer": {"set": NAME} | {"ranges": ["10.0.0.0-10.0.255.255", "10.1.0.1"]} (absent:
//           any), "ports": [{"protocol": "TCP", "first": 80, "last": 81} | {"portSet": NAME}],
//           "action": "Accept" | "Drop" | "NextTier", "origin": "..."}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/netpol/compiled.h"
#include "doc/value.h"

namespace egret::core::netpol {

doc::Value EncodeNodePolicyState(const NodePolicyState& state);

// Strict: a wrong type, a malformed address or range, an unknown field, a set name that is not
// a plain identifier, or a rule naming a set the state does not define is Invalid, naming the
// field path (`NodePolicyState "n1": pods[0].ingress.admin.rules[2].peer.set: ...`). The names
// end up in nftables scripts, so nothing else gets through.
StatusOr<NodePolicyState> DecodeNodePolicyState(const doc::Value& v);

// A port set member as text ("10.244.2.11 TCP 80") and back (nullopt when malformed).
std::string PortTupleText(const PortTuple& t);
std::optional<PortTuple> ParsePortTuple(std::string_view text);

}  // namespace egret::core::netpol
