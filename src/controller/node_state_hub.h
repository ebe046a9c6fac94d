// NodeStateHub: per-node state documents the controller computes (a node's egress state, its
// policy state), held for the agents' watch streams (watchEgress, watchPolicy), with what each
// agent reports having applied. Publishing replaces every node's document; a node's entry gets
// a new version only when its own document changed, so an agent hears about the changes that
// concern it and nothing else. Documents are stored as JSON text (the wire form): every stream
// sends the same bytes without encoding them again, and text takes a fraction of the memory of
// a document tree.
//
// Realization: an agent reports the version it has programmed into its kernel; a node has
// realized its current state when that version is at least the state's version. Reports are
// forgotten when the controller restarts (versions start over); agents report again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>


namespace egret::controller {

struct VersionedState {
  int64_t version = 0;
  std::string state;  // JSON text
  // When set (JSON text): what turns the state of version `base` into this one (a smaller
  // message for a subscriber that has `base`; the stream's DELTA frames).
  std::optional<std::string> delta;
  int64_t base = 0;
};

class NodeStateHub {
 public:
  // `empty_state(node)`: the document (JSON text) of a node that has nothing to do.
  explicit NodeStateHub(std::function<std::string(const std::string&)> empty_state)
      : empty_state_(std::move(empty_state)) {}

  // Replaces every node's document. A node not in `states` has the empty state from now on.
  // `deltas[node]`, when given, turns the node's current document into its new one.
  void Publish(std::map<std::string, std::string> states,
               std::map<std::string, std::string> deltas = {});

  // The document of `node` once its version is above `after`, waiting up to `timeout`; nullopt
  // on timeout. Before the first Publish nothing is returned: an agent must not take "nothing
  // computed yet" for "nothing to do" (it keeps its persisted state meanwhile).
  std::optional<VersionedState> WaitNewer(const std::string& node, int64_t after,
                                          std::chrono::milliseconds timeout);

  // `node`'s agent has programmed `version`. False (and ignored) for a version this hub never
  // handed out (a report meant for an earlier controller run).
  bool ReportApplied(const std::string& node, int64_t version);
  // Whether `node` has reported its current version.
  bool Realized(const std::string& node) const;

  // Wakes every waiter (they return nullopt at once): used on shutdown.
  void Close();

 private:
  std::optional<VersionedState> Current(const std::string& node, int64_t after) const;
  int64_t CurrentVersion(const std::string& node) const;

  std::function<std::string(const std::string&)> empty_state_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool published_ = false;
  bool closed_ = false;
  int64_t version_ = 0;        // the highest version handed out
  int64_t empty_version_ = 0;  // the version of "empty" for nodes without an entry
  std::map<std::string, VersionedState> nodes_;
  std::map<std::string, int64_t> applied_;  // node -> version its agent reported
};

}  // namespace egret::controller
