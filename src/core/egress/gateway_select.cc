#include "core/egress/gateway_select.h"

#include <algorithm>

#include "common/strings.h"

namespace egret::core::egress {

GatewayDirectory::GatewayDirectory(std::span<const model::EgressGateway> gateways) {
  for (const model::EgressGateway& gw : gateways) {
    by_name_.emplace(gw.metadata.name, &gw);
    // Admission allows one cluster default; stored state could still hold two (written before
    // the rule, or by another writer). The first by name wins, so the choice is stable.
    if (gw.spec.cluster_default &&
        (!cluster_default_ || gw.metadata.name < cluster_default_->metadata.name)) {
      cluster_default_ = &gw;
    }
  }
}

const model::EgressGateway* GatewayDirectory::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

namespace {

GatewayChoice Named(std::string name, GatewaySource source, const GatewayDirectory& gateways,
                    std::string_view who_named_it) {
  GatewayChoice c;
  c.name = std::move(name);
  c.source = source;
  c.gateway = gateways.Find(c.name);
  if (!c.gateway) {
    c.problem = PolicyProblem{std::string(kReasonGatewayNotFound),
                              std::string(who_named_it) + " names EgressGateway " + Quote(c.name) +
                                  ", which does not exist: create it or name an existing gateway"};
  }
  return c;
}

}  // namespace

GatewayChoice ResolveGateway(const PolicyId& id, const model::EgressPolicySpec& spec,
                             const std::map<std::string, std::string>& namespace_labels,
                             const GatewayDirectory& gateways) {
  if (!spec.egress_gateway_name.empty()) {
    return Named(spec.egress_gateway_name, GatewaySource::kSpec, gateways,
                 "spec.egressGatewayName");
  }
  const bool namespaced = id.kind == PolicyKind::kEgressPolicy;
  if (namespaced) {
    auto it = namespace_labels.find(std::string(model::kDefaultGatewayLabel));
    if (it != namespace_labels.end()) {
      return Named(it->second, GatewaySource::kNamespaceLabel, gateways,
                   "the label " + std::string(model::kDefaultGatewayLabel) + " of Namespace " +
                       Quote(id.namespace_));
    }
  }
  if (const model::EgressGateway* def = gateways.cluster_default()) {
    GatewayChoice c;
    c.name = def->metadata.name;
    c.source = GatewaySource::kClusterDefault;
    c.gateway = def;
    return c;
  }
  std::string msg = "no gateway: spec.egressGatewayName is empty, ";
  if (namespaced) {
    msg += "Namespace " + Quote(id.namespace_) + " has no label " +
           std::string(model::kDefaultGatewayLabel) + ", ";
  }
  msg +=
      "and no EgressGateway has spec.clusterDefault: true; name a gateway or mark one as the "
      "cluster default";
  GatewayChoice none;
  none.problem = PolicyProblem{std::string(kReasonNoGateway), std::move(msg)};
  return none;
}

bool NodeReady(const model::Node& node) {
  return model::FindCondition(node, "Ready") == model::ConditionStatus::kTrue;
}

GatewayNodes SelectGatewayNodes(const model::EgressGateway& gateway,
                                std::span<const model::Node> nodes) {
  GatewayNodes out;
  for (const model::Node& node : nodes) {
    if (!gateway.spec.node_selector.Matches(node.metadata.labels)) continue;
    out.matching.push_back(node.metadata.name);
    if (NodeReady(node)) out.ready.push_back(node.metadata.name);
  }
  std::sort(out.matching.begin(), out.matching.end());
  std::sort(out.ready.begin(), out.ready.end());
  return out;
}

}  // namespace egret::core::egress
