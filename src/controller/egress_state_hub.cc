#include "controller/egress_state_hub.h"

#include "core/egress/node_state_codec.h"
#include "doc/json.h"

namespace egret::controller {

EgressStateHub::EgressStateHub()
    : hub_([](const std::string& node) {
        core::egress::NodeEgressState empty;
        empty.node = node;
        return doc::ToJson(core::egress::EncodeNodeEgressState(empty));
      }) {}

void EgressStateHub::Publish(const std::map<std::string, core::egress::NodeEgressState>& states) {
  std::map<std::string, std::string> encoded;
  for (const auto& [node, state] : states) {
    encoded[node] = doc::ToJson(core::egress::EncodeNodeEgressState(state));
  }
  hub_.Publish(std::move(encoded));
}

}  // namespace egret::controller
