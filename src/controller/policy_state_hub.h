// PolicyStateHub: the per-node policy state (core/netpol/compiled.h) the PolicyController
// computes, held for the agents' watchPolicy streams, and what the agents report back having
// applied. Each node's entry gets a new version only when its own state changed, so an agent
// hears about the changes that concern it and nothing else.
//
// Realization: an agent reports (policyApplied) the version it has programmed into its kernel.
// A node has realized its current state when that version is at least the state's version; a
// policy is realized on the nodes of its placement (the nodes hosting a pod it selects) that
// have. Nodes forget their report when the controller restarts (versions start over), and
// report again on their next apply.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/netpol/compile.h"
#include "core/netpol/compiled.h"

namespace egret::controller {

struct VersionedPolicyState {
  int64_t version = 0;
  core::netpol::NodePolicyState state;
};

// "realized on `realized` of `nodes.size()` nodes".
struct PolicyRealization {
  core::netpol::PolicyRef policy;
  std::vector<std::string> nodes;  // where it must be realized, sorted
  size_t realized = 0;
};

class PolicyStateHub {
 public:
  // Replaces every node's state and the placement of every policy. A node not in `states` has
  // the empty state from now on.
  void Publish(std::map<std::string, core::netpol::NodePolicyState> states,
               std::vector<core::netpol::PolicyNodes> placement);

  // The state of `node` once its version is above `after`, waiting up to `timeout`; nullopt on
  // timeout. Before the first Publish nothing is returned: an agent must not take "nothing
  // computed yet" for "nothing to do" (it keeps its persisted state meanwhile).
  std::optional<VersionedPolicyState> WaitNewer(const std::string& node, int64_t after,
                                                std::chrono::milliseconds timeout);

  // `node`'s agent has programmed the state of `version`. False (and ignored) for a version
  // this hub never handed out (a report meant for an earlier controller run).
  bool ReportApplied(const std::string& node, int64_t version);

  // Every policy with its placement and realized count, sorted by policy.
  std::vector<PolicyRealization> Realization() const;

  // Wakes every waiter (they return nullopt at once): used on shutdown.
  void Close();

 private:
  std::optional<VersionedPolicyState> Current(const std::string& node, int64_t after) const;
  bool RealizedLocked(const std::string& node) const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool published_ = false;
  bool closed_ = false;
  int64_t version_ = 0;        // the highest version handed out
  int64_t empty_version_ = 0;  // the version of "empty" for nodes without an entry
  std::map<std::string, VersionedPolicyState> nodes_;
  std::vector<core::netpol::PolicyNodes> placement_;
  std::map<std::string, int64_t> applied_;  // node -> version its agent reported
};

}  // namespace egret::controller
