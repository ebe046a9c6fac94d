#include "controller/policy_state_hub.h"

#include "core/netpol/state_codec.h"

namespace egret::controller {

PolicyStateHub::PolicyStateHub()
    : hub_([](const std::string& node) {
        core::netpol::NodePolicyState empty;
        empty.node = node;
        return core::netpol::EncodeNodePolicyState(empty);
      }) {}

void PolicyStateHub::Publish(const std::map<std::string, core::netpol::NodePolicyState>& states,
                             std::vector<core::netpol::PolicyNodes> placement) {
  std::map<std::string, doc::Value> encoded;
  for (const auto& [node, state] : states) {
    encoded[node] = core::netpol::EncodeNodePolicyState(state);
  }
  {
    std::lock_guard lock(mu_);
    placement_ = std::move(placement);
  }
  hub_.Publish(std::move(encoded));
}

std::vector<PolicyRealization> PolicyStateHub::Realization() const {
  std::vector<core::netpol::PolicyNodes> placement;
  {
    std::lock_guard lock(mu_);
    placement = placement_;
  }
  std::vector<PolicyRealization> out;
  out.reserve(placement.size());
  for (core::netpol::PolicyNodes& p : placement) {
    PolicyRealization r{std::move(p.policy), std::move(p.nodes), 0};
    for (const std::string& n : r.nodes) r.realized += hub_.Realized(n) ? 1 : 0;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace egret::controller
