#include "controller/egress_state_hub.h"

namespace egret::controller {

void EgressStateHub::Publish(std::map<std::string, core::egress::NodeEgressState> states) {
  {
    std::lock_guard lock(mu_);
    if (!published_) {
      published_ = true;
      empty_version_ = ++version_;
    }
    // Nodes that had a non-empty state and now have none move to a fresh empty version.
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
  }
  cv_.notify_all();
}

std::optional<VersionedEgressState> EgressStateHub::Current(const std::string& node,
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
    VersionedEgressState v{empty_version_, {}};
    v.state.node = node;
    return v;
  }
  return std::nullopt;
}

std::optional<VersionedEgressState> EgressStateHub::WaitNewer(const std::string& node,
                                                              int64_t after,
                                                              std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::optional<VersionedEgressState> found;
  cv_.wait_for(lock, timeout, [&] {
    if (closed_) return true;
    found = Current(node, after);
    return found.has_value();
  });
  if (closed_) return std::nullopt;
  return found;
}

void EgressStateHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace egret::controller
