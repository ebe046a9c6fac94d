// EgressStateHub: the per-node egress state (core/egress/node_state.h) the controller computes,
// held for the agents' watchEgress streams. The EgressStatusController publishes whole
// snapshots; each node's entry gets a new version only when its own state changed, so an agent
// hears about changes that concern it and nothing else.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/egress/node_state.h"

namespace egret::controller {

struct VersionedEgressState {
  int64_t version = 0;
  core::egress::NodeEgressState state;
};

class EgressStateHub {
 public:
  // Replaces every node's state. A node not in `states` has the empty state from now on.
  void Publish(std::map<std::string, core::egress::NodeEgressState> states);

  // The state of `node` once its version is above `after`, waiting up to `timeout`; nullopt on
  // timeout. Before the first Publish nothing is returned: an agent must not take "nothing
  // computed yet" for "nothing to do" (it keeps its persisted state meanwhile).
  std::optional<VersionedEgressState> WaitNewer(const std::string& node, int64_t after,
                                                std::chrono::milliseconds timeout);

  // Wakes every waiter (they return nullopt at once): used on shutdown.
  void Close();

 private:
  std::optional<VersionedEgressState> Current(const std::string& node, int64_t after) const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool published_ = false;
  bool closed_ = false;
  int64_t version_ = 0;  // the highest version handed out
  int64_t empty_version_ = 0;  // the version of "empty" for nodes without an entry
  std::map<std::string, VersionedEgressState> nodes_;
};

}  // namespace egret::controller
