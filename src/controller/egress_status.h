// EgressStatusController: keeps the status of every EgressPolicy, EgressClusterPolicy and
// EgressGateway equal to what the pure egress plan (core/egress: PlanEgress, PolicyStatus,
// GatewayStatus) says. It follows the store's events of the kinds the plan reads (list, then
// watch; relist on Gone) and writes a status only when it differs from the stored one, with the
// object's resourceVersion as precondition: a Conflict means the object changed meanwhile, and
// the change's own event triggers the next pass. The stored status is an input of the plan (it
// keeps rr EIPs and gateway nodes stable), so a restarted controller continues where it stopped.
//
// Liveness is the Node objects' Ready condition: no heartbeat-based decision is made here.
// The status does not depend on pods; the per-node egress state (steering rows and SNAT
// duties), published to an EgressStateHub for the agents, does.
#pragma once

#include "common/background_thread.h"

#include <map>
#include <string>

#include "controller/api_service.h"
#include "controller/egress_state_hub.h"
#include "controller/node_change.h"
#include "core/egress/plan.h"
#include "ports/datastore.h"

namespace egret::controller {

class EgressStatusController {
 public:
  // `info` gives the internal destinations (cluster, service and extra CIDRs).
  // `hub` (may be null) receives every node's egress state after each pass.
  EgressStatusController(ports::Datastore* store, ClusterInfo info, EgressStateHub* hub = nullptr)
      : store_(store), info_(std::move(info)), hub_(hub) {}
  ~EgressStatusController() { Stop(); }
  EgressStatusController(const EgressStatusController&) = delete;
  EgressStatusController& operator=(const EgressStatusController&) = delete;

  void Start();
  void Stop();

  // One pass: lists the input kinds, plans, and writes the statuses that differ. Returns the
  // first write error (Conflict included) after trying every object. Exposed for tests; not to
  // be called concurrently with the background loop.
  Status SyncAll();

  // Whether an event of `kind` can change some status or node state.
  static bool IsInputKind(std::string_view kind);

 private:
  struct Snapshot;
  void Run();
  StatusOr<Snapshot> Load();
  Status WriteStatuses(const Snapshot& snap, const core::egress::EgressPlan& plan);
  void PublishNodeStates(const Snapshot& snap, const core::egress::EgressCluster& cluster,
                         const core::egress::EgressPlan& plan);
  // Logs an object that does not decode, once per resourceVersion.
  void NoteUndecodable(const ports::StoredObject& obj, const Status& why);
  // Logs a policy's problems when they change.
  void NoteProblems(const std::string& policy, const std::string& problems);

  ports::Datastore* store_;
  ClusterInfo info_;
  EgressStateHub* hub_;
  NodeChangeFilter nodes_;  // the loop thread only
  BackgroundThread loop_;
  // Kept across passes so that each problem is logged once, not on every pass.
  std::map<ports::ObjectKey, int64_t> undecodable_;
  std::map<ports::ObjectKey, int64_t> undecodable_seen_;  // this pass
  std::map<std::string, std::string> problems_;
};

}  // namespace egret::controller
