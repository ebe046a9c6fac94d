#include "controller/node_state_hub.h"

#include <algorithm>

namespace egret::controller {

void NodeStateHub::Publish(std::map<std::string, std::string> states,
                           std::map<std::string, std::string> deltas) {
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
      VersionedState next{++version_, std::move(state), std::nullopt, 0};
      auto delta = deltas.find(node);
      if (it != nodes_.end() && delta != deltas.end()) {
        next.base = it->second.version;
        next.delta = std::move(delta->second);
      }
      nodes_[node] = std::move(next);
    }
  }
  cv_.notify_all();
}

std::optional<VersionedState> NodeStateHub::Current(const std::string& node,
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
    return VersionedState{empty_version_, empty_state_(node), std::nullopt, 0};
  }
  return std::nullopt;
}

std::optional<VersionedState> NodeStateHub::WaitNewer(const std::string& node, int64_t after,
                                                      std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::optional<VersionedState> found;
  cv_.wait_for(lock, timeout, [&] {
    if (closed_) return true;
    found = Current(node, after);
    return found.has_value();
  });
  if (closed_) return std::nullopt;
  return found;
}

bool NodeStateHub::ReportApplied(const std::string& node, int64_t version) {
  std::lock_guard lock(mu_);
  if (version <= 0 || version > version_) return false;
  int64_t& v = applied_[node];
  v = std::max(v, version);
  return true;
}

int64_t NodeStateHub::CurrentVersion(const std::string& node) const {
  auto it = nodes_.find(node);
  return it != nodes_.end() ? it->second.version : empty_version_;
}

bool NodeStateHub::Realized(const std::string& node) const {
  std::lock_guard lock(mu_);
  auto applied = applied_.find(node);
  return applied != applied_.end() && applied->second >= CurrentVersion(node);
}

void NodeStateHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace egret::controller
