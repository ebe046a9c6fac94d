// PolicyView: this node's policy state (core/netpol/compiled.h) as the controller computes it,
// followed over a watchPolicy stream. Persisted on every change, so a restarted agent enforces
// policy from disk while the controller is away; reconnects with backoff. It also carries the
// agent's reports back: once the agent has programmed a version, ReportApplied queues a
// policyApplied request that the view's thread sends (the controller counts realized nodes).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "api/transport.h"
#include "common/background_thread.h"
#include "core/netpol/compiled.h"

namespace egret::agent {

struct PolicySnapshot {
  core::netpol::NodePolicyState state;
  bool known = false;            // false: nothing received or persisted yet
  bool from_controller = false;  // false: loaded from disk, not yet confirmed
  int64_t version = 0;           // the controller's version of `state`; 0 when from disk
};

class PolicyView {
 public:
  // `on_change` runs on the view's thread after every change of the snapshot.
  PolicyView(api::Address server, std::string token, std::string node, std::string state_path,
             std::function<void()> on_change)
      : server_(std::move(server)),
        token_(std::move(token)),
        node_(std::move(node)),
        state_path_(std::move(state_path)),
        on_change_(std::move(on_change)) {}
  ~PolicyView() { Stop(); }

  void Start();
  void Stop();
  PolicySnapshot Snapshot() const;

  // The agent has programmed `version` (of a snapshot from the controller): reported soon, on
  // the view's thread. Only the highest version is kept.
  void ReportApplied(int64_t version);

 private:
  void Run();
  Status Follow();
  void Replace(core::netpol::NodePolicyState state, int64_t version);
  void LoadPersisted();
  void SendReport();

  api::Address server_;
  std::string token_;
  std::string node_;
  std::string state_path_;
  std::function<void()> on_change_;
  mutable std::mutex mu_;
  PolicySnapshot snap_;
  int64_t to_report_ = 0;  // guarded by mu_
  int64_t reported_ = 0;   // the view's thread only
  BackgroundThread loop_;
};

}  // namespace egret::agent
