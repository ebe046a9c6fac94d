// NodeChangeFilter: which Node events change what the egress and policy controllers read. An
// agent refreshes its Node's status every 10 s (lastHeartbeatTime); recomputing every policy
// and egress plan for that would cost the controllers CPU in proportion to nodes × policies.
// A Node event counts only when the node's labels, addresses or Ready status differ from the
// last event seen for it (a node seen for the first time, or deleted, always counts).
#pragma once

#include <map>
#include <string>

#include "ports/datastore.h"

namespace egret::controller {

class NodeChangeFilter {
 public:
  // Whether `ev` (of kind Node) matters; remembers what it saw. Not thread-safe.
  bool Matters(const ports::WatchEvent& ev);

 private:
  std::map<std::string, std::string> seen_;  // node -> labels, addresses, Ready status
};

}  // namespace egret::controller
