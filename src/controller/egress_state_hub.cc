#include "controller/egress_state_hub.h"

#include "core/egress/node_state_codec.h"

namespace egret::controller {

EgressStateHub::EgressStateHub()
    : hub_([](const std::string& node) {
        core::egress::NodeEgressState empty;
        empty.node = node;
        return core::egress::EncodeNodeEgressState(empty);
      }) {}

void EgressStateHub::Publish(const std::map<std::string, core::egress::NodeEgressState>& states) {
  std::map<std::string, doc::Value> encoded;
  for (const auto& [node, state] : states) {
    encoded[node] = core::egress::EncodeNodeEgressState(state);
  }
  hub_.Publish(std::move(encoded));
}

}  // namespace egret::controller
