#include "agent/egress_view.h"

#include "core/egress/node_state_codec.h"

namespace egret::agent {

EgressView::EgressView(api::Address server, std::string token, std::string node,
                       std::string state_path, std::function<void()> on_change)
    : follower_({.server = std::move(server),
                 .token = std::move(token),
                 .node = std::move(node),
                 .watch_op = "watchEgress",
                 .report_op = "",
                 .state_path = std::move(state_path),
                 .what = "egress"},
                [this](const doc::Value& state, int64_t, bool from_disk) {
                  return Accept(state, from_disk);
                },
                std::move(on_change)) {}

EgressSnapshot EgressView::Snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

StatusOr<bool> EgressView::Accept(const doc::Value& state, bool from_disk) {
  ASSIGN_OR_RETURN(core::egress::NodeEgressState decoded,
                   core::egress::DecodeNodeEgressState(state));
  std::lock_guard lock(mu_);
  bool same = snap_.known && snap_.state == decoded;
  snap_.known = true;
  snap_.from_controller |= !from_disk;
  if (!same) snap_.state = std::move(decoded);
  return !same;
}

}  // namespace egret::agent
