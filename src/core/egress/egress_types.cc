#include "core/egress/egress_types.h"

#include <algorithm>

#include "common/strings.h"

namespace egret::core::egress {

PolicyId PolicyId::Namespaced(std::string ns, std::string name) {
  return {PolicyKind::kEgressPolicy, std::move(ns), std::move(name)};
}

PolicyId PolicyId::Cluster(std::string name) {
  return {PolicyKind::kEgressClusterPolicy, "", std::move(name)};
}

PolicyId PolicyId::FromRef(const model::EgressPolicyRef& ref) {
  return ref.namespace_.empty() ? Cluster(ref.name) : Namespaced(ref.namespace_, ref.name);
}

model::EgressPolicyRef PolicyId::Ref() const { return {.name = name, .namespace_ = namespace_}; }

std::string PolicyId::ToString() const {
  if (kind == PolicyKind::kEgressClusterPolicy) return "EgressClusterPolicy " + Quote(name);
  return "EgressPolicy " + Quote(namespace_ + "/" + name);
}

std::string EipPair::ToString() const {
  std::string out = ipv4 ? ipv4->ToString() : "";
  if (ipv6) out += (out.empty() ? "" : "/") + ipv6->ToString();
  return out;
}

std::vector<model::IpAddress> NodeAddresses(std::span<const model::Node> nodes) {
  std::vector<model::IpAddress> out;
  for (const model::Node& node : nodes) {
    for (const model::NodeAddress& a : node.status.addresses) {
      if (a.type != model::NodeAddressType::kInternalIP &&
          a.type != model::NodeAddressType::kExternalIP) {
        continue;
      }
      if (std::optional<model::IpAddress> ip = model::IpAddress::Parse(a.address)) {
        out.push_back(*ip);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace egret::core::egress
