#include "controller/policy_state_hub.h"

#include "core/netpol/member_delta.h"
#include "core/netpol/state_codec.h"
#include "doc/json.h"

namespace egret::controller {

PolicyStateHub::PolicyStateHub()
    : hub_([](const std::string& node) {
        core::netpol::NodePolicyState empty;
        empty.node = node;
        return doc::ToJson(core::netpol::EncodeNodePolicyState(empty));
      }) {}

void PolicyStateHub::Publish(const std::map<std::string, core::netpol::NodePolicyState>& states,
                             std::vector<core::netpol::PolicyNodes> placement) {
  std::map<std::string, std::string> encoded, deltas;
  std::lock_guard lock(mu_);
  for (const auto& [node, state] : states) {
    encoded[node] = doc::ToJson(core::netpol::EncodeNodePolicyState(state));
    auto last = last_.find(node);
    if (last == last_.end()) continue;
    if (auto delta = core::netpol::EncodeMemberDelta(last->second, state)) {
      deltas[node] = doc::ToJson(*delta);
    }
  }
  placement_ = std::move(placement);
  last_ = states;
  hub_.Publish(std::move(encoded), std::move(deltas));
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
