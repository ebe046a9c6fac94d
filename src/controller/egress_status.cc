#include "controller/egress_status.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "common/strings.h"
#include "controller/node_change.h"
#include "controller/sync_loop.h"
#include "core/egress/node_state.h"
#include "core/egress/plan.h"
#include "core/egress/status.h"
#include "core/egress/steering.h"
#include "doc/json.h"
#include "model/kind_codec.h"
#include "model/pod.h"

namespace egret::controller {
namespace {

using core::egress::PolicyId;

constexpr std::array<std::string_view, 6> kInputKinds = {
    "Node", "Namespace", "EgressGateway", "EgressPolicy", "EgressClusterPolicy", "Pod"};

// Decoded objects of one kind, with the stored key and version of each (same index).
template <typename T>
struct Loaded {
  std::vector<T> items;
  std::vector<ports::StoredObject> stored;  // json dropped: only key and version are kept
};

template <typename T>
using DecodeFn = T (*)(const doc::Value&, model::FieldErrors*);

// Lists `kind` and decodes each object; those that fail go to `bad` and are skipped.
template <typename T, typename OnBad>
Status LoadKind(ports::Datastore* store, const std::string& kind, DecodeFn<T> decode,
                Loaded<T>* out, OnBad bad) {
  ASSIGN_OR_RETURN(ports::ListResult list, store->List(kind, ""));
  for (ports::StoredObject& obj : list.items) {
    auto v = doc::ParseJson(obj.json);
    StatusOr<T> typed = v.ok() ? model::DecodeTyped(*v, kind, decode) : StatusOr<T>(v.status());
    if (!typed.ok()) {
      bad(obj, typed.status());
      continue;
    }
    out->items.push_back(std::move(*typed));
    obj.json.clear();
    out->stored.push_back(std::move(obj));
  }
  return Status::Ok();
}

// Writes `want` as the status of `current` (stored as `at`) unless it already is.
template <typename T, typename S>
Status PutIfChanged(ports::Datastore* store, const ports::StoredObject& at, const T& current,
                    const S& want, doc::Value (*encode)(const T&)) {
  if (current.status == want) return Status::Ok();
  T copy = current;
  copy.status = want;
  doc::Value encoded = encode(copy);
  const doc::Value* status = encoded.Find("status");  // absent when the status is empty
  std::string json = status ? doc::ToJson(*status) : "{}";
  auto done = store->PutStatus(at.key, json, at.resource_version);
  if (!done.ok()) return done.status();
  EGRET_LOG(kInfo, "egress-status")
      << at.key.kind << " "
      << Quote(at.key.namespace_.empty() ? at.key.name : at.key.namespace_ + "/" + at.key.name)
      << ": status " << json;
  return Status::Ok();
}

core::egress::InternalDestinations Internal(const ClusterInfo& info,
                                            std::span<const model::Node> nodes) {
  return {.cluster_pod_cidrs = info.cluster_cidrs,
          .service_cidrs = info.service_cidrs,
          .node_addresses = core::egress::NodeAddresses(nodes),
          .extra_cidrs = info.extra_internal};
}

std::string JoinProblems(const core::egress::PolicyOutcome& p) {
  std::string out;
  for (const core::egress::PolicyProblem& pr : p.problems) {
    out += (out.empty() ? "" : "; ") + pr.reason + ": " + pr.message;
  }
  return out;
}

// Conditions keep the lastTransitionTime of the stored condition of the same type and status;
// a new or changed one gets the current time.
void StampConditions(const std::vector<model::Condition>& stored,
                     std::vector<model::Condition>* want) {
  for (model::Condition& c : *want) {
    auto it = std::find_if(stored.begin(), stored.end(), [&](const model::Condition& old) {
      return old.type == c.type && old.status == c.status;
    });
    c.last_transition_time = it != stored.end() && !it->last_transition_time.empty()
                                 ? it->last_transition_time
                                 : NowRfc3339();
  }
}

void Remember(Status* first, const Status& st) {
  if (!st.ok() && first->ok()) *first = st;
}

}  // namespace

struct EgressStatusController::Snapshot {
  Loaded<model::Node> nodes;
  Loaded<model::Namespace> namespaces;
  Loaded<model::EgressGateway> gateways;
  Loaded<model::EgressPolicy> policies;
  Loaded<model::EgressClusterPolicy> cluster_policies;
  Loaded<model::Pod> pods;
};

bool EgressStatusController::IsInputKind(std::string_view kind) {
  for (std::string_view k : kInputKinds) {
    if (k == kind) return true;
  }
  return false;
}

void EgressStatusController::Start() {
  loop_.Start([this] { Run(); });
}

void EgressStatusController::Stop() {
  loop_.Stop();
}

void EgressStatusController::NoteUndecodable(const ports::StoredObject& obj, const Status& why) {
  undecodable_seen_[obj.key] = obj.resource_version;
  auto it = undecodable_.find(obj.key);
  if (it != undecodable_.end() && it->second == obj.resource_version) return;
  EGRET_LOG(kWarn, "egress-status")
      << "skipping a stored object that does not decode: " << why.message();
}

void EgressStatusController::NoteProblems(const std::string& policy, const std::string& problems) {
  auto it = problems_.find(policy);
  std::string before = it == problems_.end() ? "" : it->second;
  if (before == problems) return;
  if (problems.empty()) {
    EGRET_LOG(kInfo, "egress-status") << policy << ": in force";
    problems_.erase(policy);
  } else {
    EGRET_LOG(kWarn, "egress-status") << policy << ": " << problems;
    problems_[policy] = problems;
  }
}

StatusOr<EgressStatusController::Snapshot> EgressStatusController::Load() {
  Snapshot s;
  undecodable_seen_.clear();
  auto bad = [this](const ports::StoredObject& o, const Status& why) { NoteUndecodable(o, why); };
  RETURN_IF_ERROR(LoadKind(store_, "Node", &model::DecodeNode, &s.nodes, bad));
  RETURN_IF_ERROR(LoadKind(store_, "Namespace", &model::DecodeNamespace, &s.namespaces, bad));
  RETURN_IF_ERROR(LoadKind(store_, "EgressGateway", &model::DecodeEgressGateway, &s.gateways, bad));
  RETURN_IF_ERROR(LoadKind(store_, "EgressPolicy", &model::DecodeEgressPolicy, &s.policies, bad));
  RETURN_IF_ERROR(LoadKind(store_, "EgressClusterPolicy", &model::DecodeEgressClusterPolicy,
                           &s.cluster_policies, bad));
  if (hub_) RETURN_IF_ERROR(LoadKind(store_, "Pod", &model::DecodePod, &s.pods, bad));
  undecodable_.swap(undecodable_seen_);
  return s;
}

Status EgressStatusController::WriteStatuses(const Snapshot& s,
                                             const core::egress::EgressPlan& plan) {
  core::egress::AliveFn alive = core::egress::ReadyNodes(plan);
  std::map<PolicyId, size_t> ns_index, cluster_index;
  for (size_t i = 0; i < s.policies.items.size(); ++i) {
    const model::ObjectMeta& m = s.policies.items[i].metadata;
    ns_index[PolicyId::Namespaced(m.namespace_, m.name)] = i;
  }
  for (size_t i = 0; i < s.cluster_policies.items.size(); ++i) {
    cluster_index[PolicyId::Cluster(s.cluster_policies.items[i].metadata.name)] = i;
  }
  Status first;
  for (const core::egress::PolicyOutcome& p : plan.policies) {
    NoteProblems(p.id.ToString(), JoinProblems(p));
    model::EgressPolicyStatus want = core::egress::PolicyStatus(plan, p, alive);
    if (auto it = ns_index.find(p.id); it != ns_index.end()) {
      StampConditions(s.policies.items[it->second].status.conditions, &want.conditions);
      Remember(&first,
               PutIfChanged(store_, s.policies.stored[it->second], s.policies.items[it->second],
                            want, &model::EncodeEgressPolicy));
    } else if (auto ct = cluster_index.find(p.id); ct != cluster_index.end()) {
      StampConditions(s.cluster_policies.items[ct->second].status.conditions, &want.conditions);
      Remember(&first, PutIfChanged(store_, s.cluster_policies.stored[ct->second],
                                    s.cluster_policies.items[ct->second], want,
                                    &model::EncodeEgressClusterPolicy));
    }
  }
  for (size_t i = 0; i < s.gateways.items.size(); ++i) {
    const core::egress::GatewayOutcome* g = plan.FindGateway(s.gateways.items[i].metadata.name);
    if (!g) continue;
    Remember(&first, PutIfChanged(store_, s.gateways.stored[i], s.gateways.items[i],
                                  core::egress::GatewayStatus(plan, *g, alive),
                                  &model::EncodeEgressGateway));
  }
  return first;
}

void EgressStatusController::PublishNodeStates(const Snapshot& s,
                                               const core::egress::EgressCluster& cluster,
                                               const core::egress::EgressPlan& plan) {
  core::egress::EgressSteering steering = core::egress::CompileSteering(plan, cluster);
  std::map<std::string, core::egress::NodeEgressState> states;
  for (const model::Node& n : s.nodes.items) {
    core::egress::NodeEgressState st =
        core::egress::DesiredEgressForNode(plan, steering, n.metadata.name);
    if (!st.targets.empty()) states[n.metadata.name] = std::move(st);
  }
  hub_->Publish(states);
}

Status EgressStatusController::SyncAll() {
  ASSIGN_OR_RETURN(Snapshot s, Load());
  core::egress::EgressCluster cluster{.gateways = s.gateways.items,
                                      .policies = s.policies.items,
                                      .cluster_policies = s.cluster_policies.items,
                                      .namespaces = s.namespaces.items,
                                      .nodes = s.nodes.items,
                                      .pods = s.pods.items,
                                      .internal = Internal(info_, s.nodes.items)};
  // One plan for both: it does not read pods (the steering does).
  core::egress::EgressPlan plan = core::egress::PlanEgress(cluster);
  Status st = WriteStatuses(s, plan);
  // Published from the same snapshot even when a status write failed: the datapath must not
  // wait for the status, and the next pass publishes again anyway.
  if (hub_) PublishNodeStates(s, cluster, plan);
  return st;
}

void EgressStatusController::Run() {
  RunSyncLoop({.store = store_,
               .kind = "",
               .sync = [this] { return SyncAll(); },
               .relevant =
                   [this](const std::vector<ports::WatchEvent>& events) {
                     bool needs = false;
                     for (const ports::WatchEvent& ev : events) {
                       const std::string& kind = ev.object.key.kind;
                       // Every Node event goes through the filter, so it knows each node.
                       if (kind == "Node") {
                         needs |= nodes_.Matters(ev);
                       } else {
                         needs |= IsInputKind(kind);
                       }
                     }
                     return needs;
                   },
               .on_error =
                   [](const Status& st) {
                     // A Conflict is expected: the object changed, and its event brings the
                     // next pass.
                     if (st.code() != Code::kConflict) {
                       EGRET_LOG(kWarn, "egress-status") << "sync: " << st.message();
                     }
                   }},
              loop_);
}

}  // namespace egret::controller
