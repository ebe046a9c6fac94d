#include "controller/policy_state_hub.h"

namespace egret::controller {

void PolicyStateHub::Publish(std::map<std::string, core::netpol::NodePolicyState> states,
                             std::vector<core::netpol::PolicyNodes> placement) {
  {
    std::lock_guard lock(mu_);
    if (!published_) {
      published_ = true;
      empty_version_ = ++version_;
    }
    // Nodes that had a state and now have none move to a fresh empty version.
    for (auto it = nodes_.begin(); it != nodes_.end();) {
      if (states.contains(it->first)) {
        ++it;
        continue;
      }
      it = nodes_.erase(it);
      empty_version_ = ++version_;
    }
    for (auto& [node, state] : states) {
      auto it = nodes_.find(node);
      if (it != nodes_.end() && it->second.state == state) continue;
      nodes_[node] = {++version_, std::move(state)};
    }
    placement_ = std::move(placement);
  }
  cv_.notify_all();
}

std::optional<VersionedPolicyState> PolicyStateHub::Current(const std::string& node,
                                                            int64_t after) const {
  if (!published_) return std::nullopt;
  auto it = nodes_.find(node);
  if (it != nodes_.end()) {
    if (it->second.version > after) return it->second;
    return std::nullopt;
  }
  // A node without an entry: the empty state, whose version moves when some node lost its
  // state (the waiter may be that node). A spurious empty repeat is harmless.
  if (empty_version_ > after) {
    VersionedPolicyState v{empty_version_, {}};
    v.state.node = node;
    return v;
  }
  return std::nullopt;
}

std::optional<VersionedPolicyState> PolicyStateHub::WaitNewer(const std::string& node,
                                                              int64_t after,
                                                              std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::optional<VersionedPolicyState> found;
  cv_.wait_for(lock, timeout, [&] {
    if (closed_) return true;
    found = Current(node, after);
    return found.has_value();
  });
  if (closed_) return std::nullopt;
  return found;
}

bool PolicyStateHub::ReportApplied(const std::string& node, int64_t version) {
  std::lock_guard lock(mu_);
  if (version <= 0 || version > version_) return false;
  int64_t& v = applied_[node];
  v = std::max(v, version);
  return true;
}

bool PolicyStateHub::RealizedLocked(const std::string& node) const {
  auto applied = applied_.find(node);
  if (applied == applied_.end()) return false;
  auto it = nodes_.find(node);
  int64_t current = it != nodes_.end() ? it->second.version : empty_version_;
  return applied->second >= current;
}

std::vector<PolicyRealization> PolicyStateHub::Realization() const {
  std::lock_guard lock(mu_);
  std::vector<PolicyRealization> out;
  out.reserve(placement_.size());
  for (const core::netpol::PolicyNodes& p : placement_) {
    PolicyRealization r{p.policy, p.nodes, 0};
    for (const std::string& n : p.nodes) r.realized += RealizedLocked(n) ? 1 : 0;
    out.push_back(std::move(r));
  }
  return out;
}

void PolicyStateHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace egret::controller
