// StateFollower: follows one of the controller's per-node state streams (watchEgress,
// watchPolicy) for this node, persists every new state to disk so that a restarted agent
// programs the datapath from it while the controller is away, reconnects with backoff, and
// sends the agent's "applied" reports back (policyApplied) when the stream has them.
//
// It handles documents; the typed views (EgressView, PolicyView) decode them through the
// `accept` callback and keep the typed snapshot.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "api/transport.h"
#include "common/background_thread.h"
#include "doc/value.h"

namespace egret::agent {

struct StateFollowerOptions {
  api::Address server;
  std::string token;
  std::string node;
  std::string watch_op;    // "watchEgress", "watchPolicy"
  std::string report_op;   // "" (no reports) or "policyApplied"
  std::string state_path;  // the persisted document
  std::string what;        // "egress", "policy": for log lines
};

class StateFollower {
 public:
  // `accept(state, version, from_disk)` decodes and keeps a state; returns whether it differs
  // from the one kept, or the decoding error (a bad persisted file is ignored, a bad frame
  // restarts the stream). `version` is the controller's, 0 for the persisted one.
  // `on_change` runs after every state frame (also an unchanged one: a new version may need
  // reporting), on the follower's thread.
  using AcceptFn =
      std::function<StatusOr<bool>(const doc::Value& state, int64_t version, bool from_disk)>;
  // `apply_delta(delta, base, version)` applies a DELTA frame to the state of version `base`
  // and returns the whole new state (to persist); FailedPrecondition when the view does not
  // hold `base` (the follower then reconnects and gets the whole state). Null: no deltas.
  using ApplyDeltaFn = std::function<StatusOr<doc::Value>(const doc::Value& delta, int64_t base,
                                                          int64_t version)>;
  StateFollower(StateFollowerOptions options, AcceptFn accept, std::function<void()> on_change,
                ApplyDeltaFn apply_delta = nullptr)
      : opts_(std::move(options)),
        accept_(std::move(accept)),
        apply_delta_(std::move(apply_delta)),
        on_change_(std::move(on_change)) {}
  ~StateFollower() { Stop(); }

  // Loads the persisted state (through accept) and starts following the controller.
  void Start();
  void Stop();

  // The agent has programmed `version`: reported soon, on the follower's thread (only the
  // highest version is kept). Ignored without a report_op.
  void ReportApplied(int64_t version);

 private:
  void Run();
  Status Follow();
  // One STATE or DELTA frame.
  Status Take(const doc::Value& frame);
  void Persist(const doc::Value& state);
  void SendReport();
  void LoadPersisted();

  StateFollowerOptions opts_;
  AcceptFn accept_;
  ApplyDeltaFn apply_delta_;
  std::function<void()> on_change_;
  std::mutex mu_;
  int64_t to_report_ = 0;  // guarded by mu_
  int64_t reported_ = 0;   // the follower's thread only
  BackgroundThread loop_;
};

}  // namespace egret::agent
