// egret.io/v1 EgressPolicy (namespaced) and EgressClusterPolicy (cluster-scoped): which pods'
// outbound traffic, to which destinations, leaves through which EgressGateway with which
// egress IP (EIP). Both kinds share one spec; only EgressClusterPolicy may select namespaces.
// Reference: docs/reference/egress.md.
//
// Single-object rules checked here: addresses and CIDRs parse and belong to their field's
// family, useNodeIP excludes explicit EIPs, appliedTo selects something, priority 0-1000.
// Rules that need other objects (EIP inside the named gateway's pool, immutable fields, the
// cluster's address families) live in src/core/admission.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/condition.h"
#include "model/meta.h"
#include "model/net.h"

namespace egret::model {

// Namespace label naming the gateway that policies of the namespace use when they name none;
// without it they use the gateway whose spec.clusterDefault is true.
inline constexpr std::string_view kDefaultGatewayLabel = "egret.io/default-gateway";

enum class AllocatorPolicy {
  kDefault,     // "default": the gateway's default EIP
  kRoundRobin,  // "rr": the pool's addresses in turn, spreading policies over the pool
};
std::string_view AllocatorPolicyName(AllocatorPolicy p);

struct EgressIpSpec {
  // Explicit EIPs. When set, allocatorPolicy does not apply. Immutable after creation.
  std::optional<IpAddress> ipv4;
  std::optional<IpAddress> ipv6;
  bool use_node_ip = false;  // SNAT to the gateway node's own address; excludes ipv4/ipv6
  AllocatorPolicy allocator_policy = AllocatorPolicy::kDefault;
  bool explicit_eip() const { return ipv4.has_value() || ipv6.has_value(); }
  friend bool operator==(const EgressIpSpec&, const EgressIpSpec&) = default;
};

// The sources a policy steers. A pod is selected when it matches podSelector or its address
// lies in one of podSubnet (at least one of the two is set). An EgressPolicy selects only pods
// of its own namespace; an EgressClusterPolicy selects pods of the namespaces matching
// namespaceSelector (every namespace when absent).
struct AppliedTo {
  std::optional<LabelSelector> pod_selector;
  std::vector<Cidr> pod_subnet;
  std::optional<LabelSelector> namespace_selector;  // EgressClusterPolicy only
  friend bool operator==(const AppliedTo&, const AppliedTo&) = default;
};

struct EgressPolicySpec {
  // Empty: resolved by the controller from the namespace's kDefaultGatewayLabel, else the
  // cluster-default gateway. Immutable after creation.
  std::string egress_gateway_name;
  EgressIpSpec egress_ip;
  AppliedTo applied_to;
  std::vector<Cidr> dest_subnet;  // empty: every destination that is not internal
  int priority = 0;               // 0-1000; where policies overlap, the higher one wins
  friend bool operator==(const EgressPolicySpec&, const EgressPolicySpec&) = default;
};

// Written by the controller only.
struct EgressPolicyStatus {
  std::optional<IpAddress> eip_ipv4;  // status.eip.ipv4: the EIP in use
  std::optional<IpAddress> eip_ipv6;
  std::string node;  // the gateway node currently SNATing for this policy
  // metav1 conditions; "Ready" says whether the policy is in force and, if not, why
  // (reason GatewayNotFound, PoolExhausted, ...: docs/reference/egress.md).
  std::vector<Condition> conditions;
  friend bool operator==(const EgressPolicyStatus&, const EgressPolicyStatus&) = default;
};

struct EgressPolicy {
  ObjectMeta metadata;
  EgressPolicySpec spec;
  EgressPolicyStatus status;
  friend bool operator==(const EgressPolicy&, const EgressPolicy&) = default;
};

struct EgressClusterPolicy {
  ObjectMeta metadata;
  EgressPolicySpec spec;
  EgressPolicyStatus status;
  friend bool operator==(const EgressClusterPolicy&, const EgressClusterPolicy&) = default;
};

EgressPolicy DecodeEgressPolicy(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeEgressPolicy(const EgressPolicy& p);
EgressClusterPolicy DecodeEgressClusterPolicy(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeEgressClusterPolicy(const EgressClusterPolicy& p);

}  // namespace egret::model
