// Which gateway serves a policy, and which nodes serve a gateway.
//
// Gateway of a policy (first rule that applies):
//   1. spec.egressGatewayName when set;
//   2. for an EgressPolicy, the gateway its namespace names with the label
//      `egret.io/default-gateway`;
//   3. the gateway with spec.clusterDefault: true (the first by name if several claim it).
// A rule that names a gateway ends the search: a name that does not exist is reported
// (GatewayNotFound), never replaced by a later rule, so traffic never leaves through a gateway
// nobody chose. When no rule applies the policy reports NoGateway.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/egress/egress_types.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"
#include "model/node.h"

namespace egret::core::egress {

// The gateways by name, and the cluster default. Points into the span it was built from, which
// must outlive it.
class GatewayDirectory {
 public:
  explicit GatewayDirectory(std::span<const model::EgressGateway> gateways);
  const model::EgressGateway* Find(std::string_view name) const;
  const model::EgressGateway* cluster_default() const { return cluster_default_; }

 private:
  std::map<std::string, const model::EgressGateway*, std::less<>> by_name_;
  const model::EgressGateway* cluster_default_ = nullptr;
};

enum class GatewaySource { kNone, kSpec, kNamespaceLabel, kClusterDefault };

struct GatewayChoice {
  std::string name;  // empty when no rule named a gateway
  GatewaySource source = GatewaySource::kNone;
  const model::EgressGateway* gateway = nullptr;  // null when missing
  std::optional<PolicyProblem> problem;           // set exactly when gateway is null
};

// `namespace_labels`: the labels of an EgressPolicy's namespace (empty when the namespace is
// unknown); ignored for an EgressClusterPolicy.
GatewayChoice ResolveGateway(const PolicyId& id, const model::EgressPolicySpec& spec,
                             const std::map<std::string, std::string>& namespace_labels,
                             const GatewayDirectory& gateways);

// A node is Ready when its Ready condition is True.
bool NodeReady(const model::Node& node);

struct GatewayNodes {
  std::vector<std::string> matching;  // nodes the nodeSelector selects, sorted by name
  std::vector<std::string> ready;     // the Ready ones among them, sorted by name
};

GatewayNodes SelectGatewayNodes(const model::EgressGateway& gateway,
                                std::span<const model::Node> nodes);

}  // namespace egret::core::egress
