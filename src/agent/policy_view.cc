#include "agent/policy_view.h"

#include "core/netpol/member_delta.h"
#include "core/netpol/state_codec.h"

namespace egret::agent {

PolicyView::PolicyView(api::Address server, std::string token, std::string node,
                       std::string state_path, std::function<void()> on_change)
    : follower_({.server = std::move(server),
                 .token = std::move(token),
                 .node = std::move(node),
                 .watch_op = "watchPolicy",
                 .report_op = "policyApplied",
                 .state_path = std::move(state_path),
                 .what = "policy"},
                [this](const doc::Value& state, int64_t version, bool from_disk) {
                  return Accept(state, version, from_disk);
                },
                std::move(on_change),
                [this](const doc::Value& delta, int64_t base, int64_t version) {
                  return ApplyDelta(delta, base, version);
                }) {}

PolicySnapshot PolicyView::Snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

StatusOr<bool> PolicyView::Accept(const doc::Value& state, int64_t version, bool from_disk) {
  ASSIGN_OR_RETURN(core::netpol::NodePolicyState decoded,
                   core::netpol::DecodeNodePolicyState(state));
  std::lock_guard lock(mu_);
  bool same = snap_.known && snap_.state == decoded;
  snap_.known = true;
  snap_.from_controller |= !from_disk;
  // A new version of the same state (after a controller restart) is reported by the agent's
  // next reconcile, which has nothing to re-program.
  snap_.version = version;
  if (!same) snap_.state = std::move(decoded);
  return !same;
}

StatusOr<doc::Value> PolicyView::ApplyDelta(const doc::Value& delta, int64_t base,
                                            int64_t version) {
  std::lock_guard lock(mu_);
  if (!snap_.from_controller || snap_.version != base) {
    return FailedPreconditionError("policy delta from version " + std::to_string(base) +
                                   ", but this node holds version " +
                                   std::to_string(snap_.version) + ": asking for the whole state");
  }
  ASSIGN_OR_RETURN(core::netpol::NodePolicyState next,
                   core::netpol::ApplyMemberDelta(snap_.state, delta));
  snap_.state = std::move(next);
  snap_.version = version;
  ++deltas_;
  return core::netpol::EncodeNodePolicyState(snap_.state);
}

}  // namespace egret::agent
