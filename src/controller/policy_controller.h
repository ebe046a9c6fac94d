// PolicyController: keeps every node's compiled policy state (core/netpol) equal to what the
// stored Pods, Namespaces, Nodes, NetworkPolicies, AdminNetworkPolicies and the
// BaselineAdminNetworkPolicy say, and publishes it to a PolicyStateHub for the agents'
// watchPolicy streams. It follows the store's events of those kinds (list, then watch; relist
// on Gone) and recomputes on every batch of relevant events: label changes, pod creation and
// deletion, address assignment and policy edits take effect without restarting anything.
//
// Every node that has a Node object or hosts a pod gets a state (possibly without programs):
// the agent needs the list of its pods to tell "not selected" from "not computed yet".
// Objects that do not decode are skipped and logged once per resourceVersion.
//
// It also runs the PolicyStatusWriter (policy_status.h), which writes each policy's "Ready"
// condition (realized on N of M nodes), and feeds it what the store holds of the policies. A
// policy event that changes only status or metadata (its generation is not above the compiled
// one: the writer's own status writes, mostly) does not trigger a recompile.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/background_thread.h"
#include "controller/node_change.h"
#include "controller/policy_state_hub.h"
#include "controller/policy_status.h"
#include "core/netpol/cluster.h"
#include "ports/datastore.h"

namespace egret::controller {

class PolicyController {
 public:
  PolicyController(ports::Datastore* store, PolicyStateHub* hub,
                   PolicyStatusWriter::Options status = {})
      : store_(store), hub_(hub), status_(store, hub, status) {}
  ~PolicyController() { Stop(); }
  PolicyController(const PolicyController&) = delete;
  PolicyController& operator=(const PolicyController&) = delete;

  void Start();
  void Stop();

  // One pass: lists the input kinds, compiles every node and publishes. Exposed for tests; not
  // to be called concurrently with the background loop.
  Status SyncAll();
  // One pass of the status writer (see PolicyStatusWriter::WriteChanges). For tests.
  Status WriteStatuses() { return status_.WriteChanges(); }

  // Whether an event of `kind` can change some node's policy state.
  static bool IsInputKind(std::string_view kind);

 private:
  // What a pass lists: the cluster, and per policy kind what the status writer must know.
  struct Snapshot {
    core::netpol::PolicyCluster cluster;
    struct Listed {
      std::map<ports::ObjectKey, StoredPolicyStatus> objects;
      int64_t version = 0;
    };
    std::map<std::string, Listed> policies;  // by kind
  };
  void Run();
  // Whether a batch of events calls for a recompile; the others go to the status writer.
  bool NeedsSync(const std::vector<ports::WatchEvent>& events);
  StatusOr<Snapshot> Load();
  void NoteUndecodable(const ports::StoredObject& obj, const Status& why);

  ports::Datastore* store_;
  PolicyStateHub* hub_;
  PolicyStatusWriter status_;
  NodeChangeFilter nodes_;  // the loop thread only
  BackgroundThread loop_;
  std::map<ports::ObjectKey, int64_t> undecodable_;
  std::map<ports::ObjectKey, int64_t> undecodable_seen_;  // this pass
};

}  // namespace egret::controller
