// Candidate gateway nodes: for each placement unit of a gateway (an EIP, or a useNodeIP
// policy) an ordered list of the gateway's ready nodes. The first alive candidate carries the
// unit's traffic; agents walk the list on their own when heartbeats say a node died, so the
// order must be the same everywhere (it is published by the controller) and must be good:
//
//   - Spread: the first candidates are balanced; every node is first for floor(units / nodes)
//     or ceil(units / nodes) units.
//   - Stable: a unit keeps the first candidate it had (`previous`) while that node is ready and
//     within the balance bound; so removing a node moves only the units that were on it, and
//     adding one moves only as many units as the balance needs.
//   - Deterministic: everything else follows rendezvous (highest random weight) hashing of the
//     unit key and node name: a unit prefers nodes in order of RendezvousScore, and its list
//     after the first candidate is the remaining nodes in that order, so a node's units fail
//     over to different nodes.
// Full algorithm: docs/design/egress.md, "Targets, units and candidate order".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace egret::core::egress {

// A 64-bit mix of (key, node). Fixed here (FNV-1a then a SplitMix64 finalizer), not
// std::hash, so every controller build orders candidates alike.
uint64_t RendezvousScore(std::string_view key, std::string_view node);

// `nodes` in the order `key` prefers them: highest score first, ties by name.
std::vector<std::string> RendezvousOrder(std::string_view key, std::span<const std::string> nodes);

// The candidate list of each of `keys` (same order), over the ready `nodes` (unique names).
// `previous` maps a key to the node that was its first candidate (from the last plan or the
// stored status); entries naming other keys or nodes are ignored. No nodes: empty lists.
std::vector<std::vector<std::string>> PlaceUnits(
    std::span<const std::string> keys, std::span<const std::string> nodes,
    const std::map<std::string, std::string, std::less<>>& previous);

// The node that carries a unit: the first candidate `alive` accepts; nullopt when none does
// (the agent then drops the unit's traffic rather than let it leave with another address).
std::optional<std::string> ActiveNode(std::span<const std::string> candidates,
                                      const std::function<bool(std::string_view)>& alive);

}  // namespace egret::core::egress
