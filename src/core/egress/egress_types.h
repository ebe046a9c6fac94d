// Value types shared by the egress control plane (src/core/egress): how a policy is named, an
// EIP pair, a problem a policy's status reports, and the internal destinations that are never
// steered. Design and rules: docs/design/egress.md.
#pragma once

#include <compare>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/egress_gateway.h"
#include "model/net.h"
#include "model/node.h"

namespace egret::core::egress {

// The order of the enumerators is the tie-break order between policies of equal priority:
// an EgressPolicy (written by the namespace's owner) before an EgressClusterPolicy.
enum class PolicyKind { kEgressPolicy, kEgressClusterPolicy };

// Names one EgressPolicy or EgressClusterPolicy. Ordered by kind, then namespace, then name:
// this order is the deterministic tie-break wherever policies compete.
struct PolicyId {
  PolicyKind kind = PolicyKind::kEgressPolicy;
  std::string namespace_;  // empty for an EgressClusterPolicy
  std::string name;

  static PolicyId Namespaced(std::string ns, std::string name);
  static PolicyId Cluster(std::string name);
  // From a status reference: an empty namespace means EgressClusterPolicy.
  static PolicyId FromRef(const model::EgressPolicyRef& ref);

  model::EgressPolicyRef Ref() const;
  // `EgressPolicy "shop/app"` or `EgressClusterPolicy "all-teams"`, as in error messages.
  std::string ToString() const;
  friend auto operator<=>(const PolicyId&, const PolicyId&) = default;
};

// The EIPs a policy's traffic leaves with: one per family the gateway serves. In dual stack the
// two are partners (the same index in their pools) unless explicit EIPs say otherwise.
struct EipPair {
  std::optional<model::IpAddress> ipv4;
  std::optional<model::IpAddress> ipv6;

  bool empty() const { return !ipv4 && !ipv6; }
  const std::optional<model::IpAddress>& Of(model::Family f) const {
    return f == model::Family::kV4 ? ipv4 : ipv6;
  }
  std::optional<model::IpAddress>& Of(model::Family f) {
    return f == model::Family::kV4 ? ipv4 : ipv6;
  }
  // "10.6.1.21/fd00::21", "10.6.1.21", "fd00::21"; "" when empty.
  std::string ToString() const;
  friend auto operator<=>(const EipPair&, const EipPair&) = default;
};

inline constexpr model::Family kFamilies[] = {model::Family::kV4, model::Family::kV6};

// Why a policy is not (fully) in force. `reason` is a CamelCase word fit for a status
// condition; `message` says what is wrong and what would fix it. Catalogue:
// docs/design/egress.md, "Status reasons".
struct PolicyProblem {
  std::string reason;
  std::string message;
  friend bool operator==(const PolicyProblem&, const PolicyProblem&) = default;
};

inline constexpr std::string_view kReasonGatewayNotFound = "GatewayNotFound";
inline constexpr std::string_view kReasonNoGateway = "NoGateway";
inline constexpr std::string_view kReasonNoEipPool = "NoEipPool";
inline constexpr std::string_view kReasonEipNotInPool = "EipNotInPool";
inline constexpr std::string_view kReasonPoolExhausted = "PoolExhausted";
inline constexpr std::string_view kReasonNoGatewayNode = "NoGatewayNode";

// Destinations that are never steered to a gateway, whatever a policy's destSubnet says: the
// traffic stays inside the cluster (pod to pod, pod to service, pod to node). Detected by the
// caller from the cluster configuration and the Node objects, plus manual extras.
struct InternalDestinations {
  std::vector<model::Cidr> cluster_pod_cidrs;    // every pod CIDR of the cluster
  std::vector<model::Cidr> service_cidrs;        // ClusterIP ranges
  std::vector<model::IpAddress> node_addresses;  // every address of every node
  std::vector<model::Cidr> extra_cidrs;          // the cluster configuration's extras
};

// The IP addresses (InternalIP and ExternalIP) of `nodes`, sorted and without duplicates: the
// `node_addresses` of InternalDestinations as detected from the Node objects.
std::vector<model::IpAddress> NodeAddresses(std::span<const model::Node> nodes);

}  // namespace egret::core::egress
