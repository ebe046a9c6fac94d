// networking.k8s.io/v1 NetworkPolicy (namespaced): which pods of its namespace it isolates and
// which traffic it then allows in and out. Reference: docs/reference/network-policy.md.
//
// Decoding validates the object on its own with the upstream API's rules (plus one: a policy
// type may be listed only once) and applies the upstream defaults (policyTypes, port protocol
// TCP, absent podSelector = {}), so the typed value and the canonical document carry them.
//
// Empty and absent lists mean the same in this API (upstream says so field by field): no
// `ingress` rules and `ingress: []` both allow nothing; a rule without `from` and with
// `from: []` both match every source; no `ports` and `ports: []` both match every port. The
// typed value therefore holds plain vectors and the canonical form omits empty lists. Where
// absence does differ from empty - the selectors of a peer - the value is a std::optional.
//
// Status: `status.conditions` (metav1 schema, condition.h), the field the v1 API carried for a
// while (NetworkPolicyStatus); the controller writes its "Ready" condition there. An empty
// `status: {}` is accepted and dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "doc/value.h"
#include "model/condition.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/net.h"
#include "model/protocol.h"

namespace egret::model {

enum class PolicyType { kIngress, kEgress };
std::string_view PolicyTypeName(PolicyType t);  // "Ingress" / "Egress"

// A peer chosen by labels. At least one of the two selectors is set.
struct SelectorPeer {
  // nullopt: only the policy's own namespace; {}: every namespace.
  std::optional<LabelSelector> namespace_selector;
  // nullopt: every pod of the namespaces above; {}: the same, written explicitly.
  std::optional<LabelSelector> pod_selector;
  friend bool operator==(const SelectorPeer&, const SelectorPeer&) = default;
};

// A peer chosen by address: `cidr` minus each of `except` (each strictly inside `cidr`, same
// family). Pod addresses count too: an ipBlock matches pods whose IPs fall inside it.
struct IpBlock {
  Cidr cidr;
  std::vector<Cidr> except;
  friend bool operator==(const IpBlock&, const IpBlock&) = default;
};

// One entry of `from` / `to`. Upstream forbids mixing ipBlock with the selectors, so the two
// shapes are alternatives.
using NetworkPolicyPeer = std::variant<SelectorPeer, IpBlock>;

// One entry of `ports`. Neither number nor name: every port of `protocol`.
struct NetworkPolicyPort {
  Protocol protocol = Protocol::kTCP;
  std::optional<uint16_t> number;    // 1-65535
  std::optional<std::string> name;   // a named container port (IANA service name)
  std::optional<uint16_t> end_port;  // only with `number`: the inclusive range number..end_port
  friend bool operator==(const NetworkPolicyPort&, const NetworkPolicyPort&) = default;
};

// An ingress or egress rule: traffic matching any peer (OR) on any port (OR) is allowed.
// No peers: every peer (the rule `{}` allows everything). No ports: every port.
struct NetworkPolicyRule {
  std::vector<NetworkPolicyPeer> peers;  // `from` (ingress) or `to` (egress)
  std::vector<NetworkPolicyPort> ports;
  friend bool operator==(const NetworkPolicyRule&, const NetworkPolicyRule&) = default;
};

struct NetworkPolicySpec {
  LabelSelector pod_selector;  // the pods of the namespace this policy isolates; {} = all
  std::vector<NetworkPolicyRule> ingress;
  std::vector<NetworkPolicyRule> egress;
  // Never empty after decoding: defaulted to [Ingress], plus Egress when `egress` has rules.
  // A direction listed here isolates the selected pods in that direction even with no rules.
  std::vector<PolicyType> policy_types;

  bool Isolates(PolicyType t) const;
  friend bool operator==(const NetworkPolicySpec&, const NetworkPolicySpec&) = default;
};

struct NetworkPolicy {
  ObjectMeta metadata;
  NetworkPolicySpec spec;
  std::vector<Condition> conditions;  // status.conditions, metav1 schema (see condition.h)
  friend bool operator==(const NetworkPolicy&, const NetworkPolicy&) = default;
};

NetworkPolicy DecodeNetworkPolicy(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeNetworkPolicy(const NetworkPolicy& np);

}  // namespace egret::model
