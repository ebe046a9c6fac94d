// core/v1 Node: the fields Egret consumes. Nodes are written by the orchestrator; Egret reads
// their labels (gateway selection), pod CIDRs (IPAM and routes), addresses (underlay and
// tunnel endpoints) and conditions. Every other Node field is rejected as unknown.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/condition.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/net.h"

namespace egret::model {

struct NodeSpec {
  // spec.podCIDRs; at most one per family. spec.podCIDR is always pod_cidrs[0].
  std::vector<Cidr> pod_cidrs;
  bool unschedulable = false;
  friend bool operator==(const NodeSpec&, const NodeSpec&) = default;
};

enum class NodeAddressType { kInternalIP, kExternalIP, kInternalDNS, kExternalDNS, kHostname };
inline constexpr std::array<std::string_view, 5> kNodeAddressTypeNames = {
    "InternalIP", "ExternalIP", "InternalDNS", "ExternalDNS", "Hostname"};

struct NodeAddress {
  NodeAddressType type = NodeAddressType::kInternalIP;
  // Canonical IP text for InternalIP/ExternalIP; a host name for the other types.
  std::string address;
  friend bool operator==(const NodeAddress&, const NodeAddress&) = default;
};

struct NodeStatus {
  std::vector<NodeAddress> addresses;
  std::vector<Condition> conditions;  // core/v1 schema (see condition.h)
  friend bool operator==(const NodeStatus&, const NodeStatus&) = default;
};

struct Node {
  ObjectMeta metadata;  // cluster-scoped
  NodeSpec spec;
  NodeStatus status;
  friend bool operator==(const Node&, const Node&) = default;
};

// Strict decode plus single-object validation; every problem is added to `errs`.
Node DecodeNode(const doc::Value& v, FieldErrors* errs);
// Canonical document: podCIDR derived from podCIDRs, addresses in canonical text.
doc::Value EncodeNode(const Node& node);

// The node's InternalIP addresses in the order listed (at most one per family is typical but
// not enforced, as upstream).
std::vector<IpAddress> InternalIPs(const Node& node);

// The status of the condition `type` ("Ready"); Unknown when the node does not report it.
ConditionStatus FindCondition(const Node& node, std::string_view type);

}  // namespace egret::model
