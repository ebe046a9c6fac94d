#include "controller/sync_loop.h"

namespace egret::controller {
namespace {

constexpr std::chrono::milliseconds kWatchPoll{500};

}  // namespace

void RunSyncLoop(const SyncLoop& l, BackgroundThread& thread) {
  auto sync = [&] {
    if (Status st = l.sync(); !st.ok() && l.on_error) l.on_error(st);
  };
  while (!thread.stopping()) {
    int64_t from = l.store->CurrentVersion();
    sync();
    auto watch = l.store->Watch(l.kind, from);
    if (!watch.ok()) {
      thread.WaitFor(kWatchPoll);
      continue;
    }
    while (!thread.stopping()) {
      auto events = (*watch)->Next(kWatchPoll);
      if (!events.ok()) break;  // Gone or closed: relist
      if (!events->empty() && l.relevant(*events)) sync();
    }
  }
}

}  // namespace egret::controller
