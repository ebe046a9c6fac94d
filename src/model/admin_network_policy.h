// policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy
// (cluster-scoped): policies written by cluster administrators that are evaluated before
// (AdminNetworkPolicy, by priority) and after (the one BaselineAdminNetworkPolicy, "default")
// the namespaced NetworkPolicies. Reference: docs/reference/network-policy.md.
//
// Decoding validates each object on its own as the upstream CRD schema does (required fields,
// list bounds, "exactly one of" unions, enumerations) and applies its defaults (port protocol
// TCP). Every union is a std::variant, so a decoded value can only hold one alternative.
#pragma once

#include <cstdint>
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

// Allow: accept, skipping later tiers. Deny: drop. Pass (AdminNetworkPolicy only): skip the
// remaining AdminNetworkPolicy rules and let NetworkPolicy, then the baseline, decide.
enum class AdminPolicyAction { kAllow, kDeny, kPass };
std::string_view AdminPolicyActionName(AdminPolicyAction a);

// Every pod of the namespaces matching `namespace_selector` ({} = all namespaces).
struct NamespacesPeer {
  LabelSelector namespace_selector;
  friend bool operator==(const NamespacesPeer&, const NamespacesPeer&) = default;
};

// The pods matching `pod_selector` in the namespaces matching `namespace_selector`.
struct PodsPeer {
  LabelSelector namespace_selector;
  LabelSelector pod_selector;
  friend bool operator==(const PodsPeer&, const PodsPeer&) = default;
};

// Egress only: the nodes (their host-network addresses) matching `node_selector`.
struct NodesPeer {
  LabelSelector node_selector;
  friend bool operator==(const NodesPeer&, const NodesPeer&) = default;
};

// Egress only: any address inside one of 1-25 distinct CIDRs (pod addresses included).
struct NetworksPeer {
  std::vector<Cidr> networks;
  friend bool operator==(const NetworksPeer&, const NetworksPeer&) = default;
};

using AdminPolicySubject = std::variant<NamespacesPeer, PodsPeer>;
using AdminIngressPeer = std::variant<NamespacesPeer, PodsPeer>;
using AdminEgressPeer = std::variant<NamespacesPeer, PodsPeer, NodesPeer, NetworksPeer>;

// portNumber: one port of one protocol.
struct AdminPortNumber {
  Protocol protocol = Protocol::kTCP;
  uint16_t port = 0;
  friend bool operator==(const AdminPortNumber&, const AdminPortNumber&) = default;
};

// namedPort: the container port of that name, with that port's own protocol. Only pods can
// have named ports, so this never matches nodes or networks.
struct AdminNamedPort {
  std::string name;
  friend bool operator==(const AdminNamedPort&, const AdminNamedPort&) = default;
};

// portRange: start..end inclusive, start < end.
struct AdminPortRange {
  Protocol protocol = Protocol::kTCP;
  uint16_t start = 0;
  uint16_t end = 0;
  friend bool operator==(const AdminPortRange&, const AdminPortRange&) = default;
};

using AdminPort = std::variant<AdminPortNumber, AdminNamedPort, AdminPortRange>;

// One rule; `Peer` is AdminIngressPeer (`from`) or AdminEgressPeer (`to`). Traffic matches when
// it comes from / goes to any peer (1-100 of them) on any port (no ports: every port).
template <typename Peer>
struct AdminPolicyRule {
  std::string name;  // optional, at most 100 characters; for logs and metrics
  AdminPolicyAction action = AdminPolicyAction::kDeny;
  std::vector<Peer> peers;
  std::vector<AdminPort> ports;
  friend bool operator==(const AdminPolicyRule&, const AdminPolicyRule&) = default;
};

using AdminIngressRule = AdminPolicyRule<AdminIngressPeer>;
using AdminEgressRule = AdminPolicyRule<AdminEgressPeer>;

struct AdminNetworkPolicySpec {
  int32_t priority = 0;  // 0-1000; lower numbers are evaluated first
  AdminPolicySubject subject;
  std::vector<AdminIngressRule> ingress;  // at most 100, evaluated in order
  std::vector<AdminEgressRule> egress;    // at most 100, evaluated in order
  friend bool operator==(const AdminNetworkPolicySpec&, const AdminNetworkPolicySpec&) = default;
};

struct AdminNetworkPolicy {
  ObjectMeta metadata;
  AdminNetworkPolicySpec spec;
  std::vector<Condition> conditions;  // status.conditions, metav1 schema (see condition.h)
  friend bool operator==(const AdminNetworkPolicy&, const AdminNetworkPolicy&) = default;
};

// No priority (it is always the last tier) and no Pass action.
struct BaselineAdminNetworkPolicySpec {
  AdminPolicySubject subject;
  std::vector<AdminIngressRule> ingress;
  std::vector<AdminEgressRule> egress;
  friend bool operator==(const BaselineAdminNetworkPolicySpec&,
                         const BaselineAdminNetworkPolicySpec&) = default;
};

// There is at most one, and it is named "default" (decoding rejects any other name).
struct BaselineAdminNetworkPolicy {
  ObjectMeta metadata;
  BaselineAdminNetworkPolicySpec spec;
  std::vector<Condition> conditions;  // status.conditions, metav1 schema
  friend bool operator==(const BaselineAdminNetworkPolicy&,
                         const BaselineAdminNetworkPolicy&) = default;
};

inline constexpr std::string_view kBaselineAdminNetworkPolicyName = "default";

AdminNetworkPolicy DecodeAdminNetworkPolicy(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeAdminNetworkPolicy(const AdminNetworkPolicy& anp);

BaselineAdminNetworkPolicy DecodeBaselineAdminNetworkPolicy(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeBaselineAdminNetworkPolicy(const BaselineAdminNetworkPolicy& banp);

}  // namespace egret::model
