// PolicyStatusWriter: writes on how many of its nodes each NetworkPolicy, AdminNetworkPolicy and
// BaselineAdminNetworkPolicy is realized (PolicyStateHub::Realization) into the policy's
// `status.conditions`, as the metav1 condition "Ready":
//
//   type: Ready, status: "True" | "False", reason: Realized | Pending,
//   message: "realized on N of M nodes", observedGeneration: G, lastTransitionTime: T
//
// True when every node of the policy's placement (the nodes hosting a pod it selects) has
// programmed its current state, also when there are none ("0 of 0"). G is the generation whose
// spec the counted placement was compiled from; T is kept while type and status stay the same.
// Conditions of other types in the status (written by someone else) are kept as they are.
//
// Agents report asynchronously, so the writer polls the hub (every `interval`) and writes only
// the conditions that differ from the stored ones, each with the object's resourceVersion as
// precondition: a Conflict means the object changed meanwhile, and its event (Observe) brings
// the new version for the next pass. What the store holds is learnt from the PolicyController's
// lists and watch events (ObserveListed / ObserveStatusOnly / Forget), not read per pass, so an
// idle pass costs one Realization() and a comparison per policy.
//
// A restarted controller starts its node versions over, so every node counts as unrealized
// until its agent reports again (within a second or so): for `restart_grace` after Start, a
// stored True condition of an unchanged generation is not turned False, which keeps restarts
// from flapping every status.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/background_thread.h"
#include "common/status.h"
#include "controller/policy_state_hub.h"
#include "model/condition.h"
#include "ports/datastore.h"

namespace egret::controller {

inline constexpr std::string_view kPolicyReadyCondition = "Ready";
inline constexpr std::string_view kReasonRealized = "Realized";
inline constexpr std::string_view kReasonPending = "Pending";

// The store key of a policy ("NetworkPolicy"/ns/name, "AdminNetworkPolicy"//name, ...).
ports::ObjectKey PolicyKey(const core::netpol::PolicyRef& ref);

// The condition `r` calls for, without lastTransitionTime; `generation` is the generation of the
// spec `r`'s placement was compiled from (0: unknown, not written).
model::Condition RealizationCondition(const PolicyRealization& r, int64_t generation);

// `stored` with `want` in place of the condition of its type (appended when absent).
// lastTransitionTime is the stored one when the type's status is unchanged, else `now`.
std::vector<model::Condition> MergeCondition(const std::vector<model::Condition>& stored,
                                             model::Condition want, const std::string& now);

// What the store holds of one policy: its version, generation and status conditions.
struct StoredPolicyStatus {
  int64_t resource_version = 0;
  int64_t generation = 0;
  std::vector<model::Condition> conditions;
};

// Decodes a stored policy object (any of the three kinds) into its StoredPolicyStatus.
StatusOr<StoredPolicyStatus> ReadPolicyStatus(const ports::StoredObject& obj);

class PolicyStatusWriter {
 public:
  struct Options {
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds restart_grace{10000};
  };

  // `hub` gives the realization; both must outlive the writer.
  PolicyStatusWriter(ports::Datastore* store, const PolicyStateHub* hub, Options options)
      : store_(store), hub_(hub), options_(options) {}
  ~PolicyStatusWriter() { Stop(); }
  PolicyStatusWriter(const PolicyStatusWriter&) = delete;
  PolicyStatusWriter& operator=(const PolicyStatusWriter&) = delete;

  void Start();
  void Stop();

  // One pass: writes every condition that differs from the stored one. Conflict and NotFound
  // are expected (the object changed or went; its event follows) and not returned; the first
  // other write error is, after trying every policy. Not to be called concurrently with itself.
  Status WriteChanges();

  // --- What the store holds; called by the PolicyController (thread-safe). ---
  // Every decodable object of `kind` from a list taken at `list_version`, after the placement
  // compiled from the same list was published. Objects of `kind` not listed are forgotten
  // unless known at a version above `list_version`.
  void ObserveListed(std::string_view kind, std::map<ports::ObjectKey, StoredPolicyStatus> listed,
                     int64_t list_version);
  // A modification event of a policy: when its generation is not above the one compiled into
  // the published placement (only status or metadata changed), records it and returns true;
  // otherwise (a new spec, an unknown object, one that does not decode) returns false: the
  // caller recompiles and lists again.
  bool ObserveStatusOnly(const ports::StoredObject& obj);
  // A deletion event.
  void Forget(const ports::ObjectKey& key, int64_t deleted_version);

 private:
  void Run();
  // Whether writing `want` over `stored` must wait for agents' reports after a restart.
  bool HeldByGrace(const StoredPolicyStatus& stored, const std::vector<model::Condition>& want);
  Status WriteOne(const ports::ObjectKey& key, const StoredPolicyStatus& stored,
                  std::vector<model::Condition> want);

  ports::Datastore* store_;
  const PolicyStateHub* hub_;
  Options options_;
  BackgroundThread loop_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::string last_error_;  // the last pass's error, logged when it changes

  std::mutex mu_;
  std::map<ports::ObjectKey, StoredPolicyStatus> stored_;
};

}  // namespace egret::controller
