// EgressView: this node's egress state (core/egress/node_state.h) as the controller computes
// it, followed over a watchEgress stream. Persisted on every change, so a restarted agent
// programs egress from disk while the controller is away; reconnects with backoff.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "api/transport.h"
#include "common/background_thread.h"
#include "core/egress/node_state.h"

namespace egret::agent {

struct EgressSnapshot {
  core::egress::NodeEgressState state;
  bool known = false;            // false: nothing received or persisted yet
  bool from_controller = false;  // false: loaded from disk, not yet confirmed
};

class EgressView {
 public:
  // `on_change` runs on the view's thread after every change of the snapshot.
  EgressView(api::Address server, std::string token, std::string node, std::string state_path,
             std::function<void()> on_change)
      : server_(std::move(server)),
        token_(std::move(token)),
        node_(std::move(node)),
        state_path_(std::move(state_path)),
        on_change_(std::move(on_change)) {}
  ~EgressView() { Stop(); }

  void Start();
  void Stop();
  EgressSnapshot Snapshot() const;

 private:
  void Run();
  Status Follow();
  void Replace(core::egress::NodeEgressState state);
  void LoadPersisted();

  api::Address server_;
  std::string token_;
  std::string node_;
  std::string state_path_;
  std::function<void()> on_change_;
  mutable std::mutex mu_;
  EgressSnapshot snap_;
  BackgroundThread loop_;
};

}  // namespace egret::agent
