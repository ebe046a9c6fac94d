// The loop every controller of the store runs: sync from a full listing, then watch the store
// from the version before that sync and sync again whenever a batch of events matters; relist
// (a full sync) when the watch ends (Gone, closed) or cannot start. Level-triggered: a sync
// reads everything it needs, so a missed or coalesced event costs nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/background_thread.h"
#include "ports/datastore.h"

namespace egret::controller {

struct SyncLoop {
  ports::Datastore* store = nullptr;
  std::string kind;  // the kind watched; "" = all kinds
  std::function<Status()> sync;
  // Whether a batch of events needs a sync.
  std::function<bool(const std::vector<ports::WatchEvent>&)> relevant;
  // What a failed sync reports (logging); not called for Ok.
  std::function<void(const Status&)> on_error;
};

// Runs `l` until `thread` is stopping. Call it from the thread's body.
void RunSyncLoop(const SyncLoop& l, BackgroundThread& thread);

}  // namespace egret::controller
