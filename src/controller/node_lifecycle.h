// NodeLifecycle: a Node whose agent stopped posting its status is no longer Ready. Agents
// refresh their Node's Ready condition (lastHeartbeatTime) every 10 s; when that time is older
// than the grace period, the condition becomes Unknown (reason NodeStatusUnknown), so status,
// egress placement (a gateway's candidate nodes are its Ready nodes) and `egret get nodes`
// reflect it. The agent's next status post makes the node Ready again.
//
// This is the slow, cluster-wide view. Egress failover does not wait for it: agents decide
// from their own heartbeats in under a second (docs/design/egress-datapath.md).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/background_thread.h"
#include "ports/datastore.h"

namespace egret::controller {

class NodeLifecycle {
 public:
  NodeLifecycle(ports::Datastore* store, std::chrono::seconds grace)
      : store_(store), grace_(grace) {}
  ~NodeLifecycle() { Stop(); }

  void Start();
  void Stop();

  // One pass at `now_unix` (seconds since the epoch): marks the stale Ready nodes Unknown and
  // returns their names. A Node without a parseable lastHeartbeatTime is left alone.
  StatusOr<std::vector<std::string>> SyncAll(int64_t now_unix);

 private:
  void Run();

  ports::Datastore* store_;
  std::chrono::seconds grace_;
  BackgroundThread loop_;
};

}  // namespace egret::controller
