// The compiled form of policy for one node: values an agent renders as nftables objects
// without knowing any policy semantics (docs/design/network-policy.md, "Compiled form").
//
//   - Address sets: the addresses a selector peer resolves to. Named after their definition
//     (a canonical key), not their content, so that pods coming and going change members, never
//     names or rules: the agent streams members into an existing set.
//   - Port sets: (address . protocol . port) tuples of every pod having a container port of one
//     name; they make named ports on egress (where the port belongs to the peer) one lookup.
//   - Per selected pod and direction, three tiers of ordered rules (admin, network-policy,
//     baseline). Within a tier the first matching rule's action applies; a tier without a match
//     applies its `otherwise` action. kNextTier continues with the next tier; after the
//     baseline tier it accepts.
//
// A rule matches when the peer matches AND (no port matches are listed OR one of them matches).
// The peer is the source address for ingress and the destination address for egress. Every
// vector is sorted or in evaluation order, so two equal compilations compare equal.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/net.h"
#include "model/protocol.h"

namespace egret::core::netpol {

enum class Action { kAccept, kDrop, kNextTier };

struct AddressSet {
  std::string name;  // "a" + 16 hex digits of a hash of `key`; unique within a NodePolicyState
  std::string key;   // the canonical definition, e.g. "pods ns=x pod=pod=a"
  std::vector<model::IpAddress> members;  // sorted (IPv4 first), unique
  friend bool operator==(const AddressSet&, const AddressSet&) = default;
};

struct PortTuple {
  model::IpAddress address;
  model::Protocol protocol = model::Protocol::kTCP;
  uint16_t port = 0;
  friend auto operator<=>(const PortTuple&, const PortTuple&) = default;
};

struct PortSet {
  std::string name;                // "n" + 16 hex digits of a hash of `key`
  std::string key;                 // "port <name>"
  std::vector<PortTuple> members;  // sorted, unique
  friend bool operator==(const PortSet&, const PortSet&) = default;
};

struct PeerMatch {
  enum class Kind { kAny, kSet, kRanges };
  Kind kind = Kind::kAny;
  std::string set;                     // kSet: an AddressSet name
  std::vector<model::IpRange> ranges;  // kRanges: sorted, disjoint, not adjacent; never empty
  friend bool operator==(const PeerMatch&, const PeerMatch&) = default;
};

// Without `port_set`: the protocol (any when nullopt) and a destination port in first..last.
// With `port_set`: the protocol (any when nullopt) and (destination address . protocol .
// destination port) in that set; first/last are then unused.
struct PortMatch {
  std::optional<model::Protocol> protocol;
  uint16_t first = 0;
  uint16_t last = 65535;
  std::string port_set;
  friend bool operator==(const PortMatch&, const PortMatch&) = default;
};

struct Rule {
  PeerMatch peer;
  std::vector<PortMatch> ports;  // empty: every protocol and port
  Action action = Action::kAccept;
  std::string origin;  // the source rule, "AdminNetworkPolicy deny-y ingress[0]": for logs
  friend bool operator==(const Rule&, const Rule&) = default;
};

struct TierProgram {
  std::vector<Rule> rules;  // in evaluation order
  Action otherwise = Action::kNextTier;
  friend bool operator==(const TierProgram&, const TierProgram&) = default;
};

struct DirectionProgram {
  TierProgram admin;           // rules: Accept / Drop / NextTier (Pass); otherwise NextTier
  TierProgram network_policy;  // rules: Accept; otherwise Drop when isolated, else NextTier
  TierProgram baseline;        // rules: Accept / Drop; otherwise Accept
  // True when every packet is accepted whatever the rules say, so no chain is needed.
  bool AcceptsAll() const;
  friend bool operator==(const DirectionProgram&, const DirectionProgram&) = default;
};

struct PodProgram {
  std::string namespace_;
  std::string name;
  // The pod's own addresses (status.podIPs); empty before address assignment - the programs do
  // not depend on them, so they can be attached as soon as the pod's interface exists.
  std::vector<model::IpAddress> addresses;
  DirectionProgram ingress;  // for traffic to the pod
  DirectionProgram egress;   // for traffic from the pod
  friend bool operator==(const PodProgram&, const PodProgram&) = default;
};

// A pod scheduled on the node that takes part in policy, selected by a policy or not.
struct NodePod {
  std::string namespace_;
  std::string name;
  std::vector<model::IpAddress> addresses;  // status.podIPs; empty before assignment
  friend auto operator<=>(const NodePod&, const NodePod&) = default;
};

struct NodePolicyState {
  std::string node;
  // Every pod on the node taking part in policy, sorted by (namespace, name). A pod listed here
  // without a program in `pods` is restricted by no policy. The agent treats a pod it plumbs
  // that is not listed as not yet computed, and holds its traffic until it is.
  std::vector<NodePod> node_pods;
  std::vector<AddressSet> address_sets;  // sorted by name; exactly those the rules refer to
  std::vector<PortSet> port_sets;        // sorted by name; exactly those the rules refer to
  std::vector<PodProgram> pods;          // sorted by (namespace, name); selected pods only
  friend bool operator==(const NodePolicyState&, const NodePolicyState&) = default;
};

}  // namespace egret::core::netpol
