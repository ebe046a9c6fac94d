// The inputs of the policy decisions and the vocabulary the evaluator and the compiler share:
// which pods take part in policy, how a pod is found from an address, namespace labels, and the
// order in which AdminNetworkPolicies are consulted.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/admin_network_policy.h"
#include "model/namespace.h"
#include "model/net.h"
#include "model/network_policy.h"
#include "model/node.h"
#include "model/pod.h"
#include "model/protocol.h"

namespace egret::core::netpol {

using Labels = std::map<std::string, std::string>;

// The stored objects policy decisions read. Order within each list does not matter.
struct PolicyCluster {
  std::vector<model::Namespace> namespaces;
  std::vector<model::Node> nodes;  // only for AdminNetworkPolicy `nodes` egress peers
  std::vector<model::Pod> pods;
  std::vector<model::NetworkPolicy> network_policies;
  std::vector<model::AdminNetworkPolicy> admin_policies;
  std::optional<model::BaselineAdminNetworkPolicy> baseline;
};

enum class PolicyKind { kNetworkPolicy, kAdminNetworkPolicy, kBaselineAdminNetworkPolicy };
std::string_view PolicyKindName(PolicyKind k);

// Names one policy object; `namespace_` is empty for the cluster-scoped kinds.
struct PolicyRef {
  PolicyKind kind = PolicyKind::kNetworkPolicy;
  std::string namespace_;
  std::string name;
  // "NetworkPolicy x/allow-a", "AdminNetworkPolicy deny-y".
  std::string ToString() const;
  friend auto operator<=>(const PolicyRef&, const PolicyRef&) = default;
};

// One connection attempt as the datapath sees its first packet. Pods are identified by address,
// exactly as the datapath identifies them: an address that belongs to no pod taking part in
// policy (PodAt) is outside the cluster's pods (an external host, a node, a host-network pod).
struct Connection {
  model::IpAddress source;
  model::IpAddress destination;
  model::Protocol protocol = model::Protocol::kTCP;
  uint16_t port = 0;  // destination port
};

// A pod takes part in policy - can be selected, and is matched by selectors as a peer - unless it
// uses the host network (its addresses are the node's) or has finished (Succeeded / Failed: its
// addresses may already belong to a new pod). Scheduling and addresses are not required: a
// pending pod is selected already, so that its rules exist before it can send.
bool TakesPart(const model::Pod& pod);

// The pod taking part in policy that owns `ip`, or nullptr. When several do (a stale record),
// the first by (namespace, name) wins, so the answer is deterministic.
const model::Pod* PodAt(const PolicyCluster& cluster, const model::IpAddress& ip);

// The labels of namespace `name`; empty when no Namespace object of that name is stored.
const Labels& NamespaceLabels(const PolicyCluster& cluster, std::string_view name);

// The host-network addresses of a node, as `nodes` peers match them: its InternalIP and
// ExternalIP addresses.
std::vector<model::IpAddress> NodeAddresses(const model::Node& node);

// The order AdminNetworkPolicies are consulted in: ascending priority (0 first); equal
// priorities by ascending name. Upstream leaves equal priorities undefined; Egret fixes this
// order so that every node and every run decides alike. Returns indexes into `policies`.
std::vector<size_t> AdminPrecedence(std::span<const model::AdminNetworkPolicy> policies);

// Whether an AdminNetworkPolicy / BaselineAdminNetworkPolicy subject selects a pod with
// `pod_labels` in a namespace with `ns_labels`.
bool AdminSubjectSelects(const model::AdminPolicySubject& subject, const Labels& ns_labels,
                         const Labels& pod_labels);

// The container ports of `pod` called `name` (any container), in declaration order.
std::vector<model::ContainerPort> NamedPorts(const model::Pod& pod, std::string_view name);

}  // namespace egret::core::netpol
