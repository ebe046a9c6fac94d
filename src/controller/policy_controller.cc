#include "controller/policy_controller.h"

#include <array>
#include <set>

#include "common/log.h"
#include "controller/node_change.h"
#include "controller/sync_loop.h"
#include "core/netpol/compile.h"
#include "doc/json.h"
#include "model/kind_codec.h"

namespace egret::controller {
namespace {

constexpr std::array<std::string_view, 6> kInputKinds = {
    "Pod",           "Namespace",          "Node",
    "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"};

// The statuses of one policy kind's decodable objects, and the version of their list.
struct ListedPolicies {
  std::map<ports::ObjectKey, StoredPolicyStatus>* objects = nullptr;
  int64_t* version = nullptr;
};

template <typename T>
using DecodeFn = T (*)(const doc::Value&, model::FieldErrors*);

// Lists `kind` and decodes each object into `out`; those that fail go to `bad`. With `listed`,
// also records each decoded policy's status for the status writer.
template <typename T, typename OnBad>
Status LoadKind(ports::Datastore* store, const std::string& kind, DecodeFn<T> decode,
                std::vector<T>* out, OnBad bad, ListedPolicies listed = {}) {
  ASSIGN_OR_RETURN(ports::ListResult list, store->List(kind, ""));
  if (listed.version) *listed.version = list.resource_version;
  for (const ports::StoredObject& obj : list.items) {
    auto v = doc::ParseJson(obj.json);
    StatusOr<T> typed = v.ok() ? model::DecodeTyped(*v, kind, decode) : StatusOr<T>(v.status());
    if (!typed.ok()) {
      bad(obj, typed.status());
      continue;
    }
    if constexpr (requires(const T& t) { t.conditions; }) {
      if (listed.objects) {
        (*listed.objects)[obj.key] = {.resource_version = obj.resource_version,
                                      .generation = typed->metadata.generation,
                                      .conditions = typed->conditions};
      }
    }
    out->push_back(std::move(*typed));
  }
  return Status::Ok();
}

bool IsPolicyKind(std::string_view kind) {
  return kind == "NetworkPolicy" || kind == "AdminNetworkPolicy" ||
         kind == "BaselineAdminNetworkPolicy";
}

}  // namespace

bool PolicyController::IsInputKind(std::string_view kind) {
  for (std::string_view k : kInputKinds) {
    if (k == kind) return true;
  }
  return false;
}

void PolicyController::Start() {
  loop_.Start([this] { Run(); });
  status_.Start();
}

void PolicyController::Stop() {
  status_.Stop();
  loop_.Stop();
}

void PolicyController::NoteUndecodable(const ports::StoredObject& obj, const Status& why) {
  undecodable_seen_[obj.key] = obj.resource_version;
  auto it = undecodable_.find(obj.key);
  if (it != undecodable_.end() && it->second == obj.resource_version) return;
  EGRET_LOG(kWarn, "policy") << "skipping a stored object that does not decode: " << why.message();
}

StatusOr<PolicyController::Snapshot> PolicyController::Load() {
  Snapshot s;
  core::netpol::PolicyCluster& c = s.cluster;
  undecodable_seen_.clear();
  auto bad = [this](const ports::StoredObject& o, const Status& why) { NoteUndecodable(o, why); };
  auto listing = [&s](const std::string& kind) {
    Snapshot::Listed& listed = s.policies[kind];
    return ListedPolicies{&listed.objects, &listed.version};
  };
  RETURN_IF_ERROR(LoadKind(store_, "Namespace", &model::DecodeNamespace, &c.namespaces, bad));
  RETURN_IF_ERROR(LoadKind(store_, "Node", &model::DecodeNode, &c.nodes, bad));
  RETURN_IF_ERROR(LoadKind(store_, "Pod", &model::DecodePod, &c.pods, bad));
  RETURN_IF_ERROR(LoadKind(store_, "NetworkPolicy", &model::DecodeNetworkPolicy,
                           &c.network_policies, bad, listing("NetworkPolicy")));
  RETURN_IF_ERROR(LoadKind(store_, "AdminNetworkPolicy", &model::DecodeAdminNetworkPolicy,
                           &c.admin_policies, bad, listing("AdminNetworkPolicy")));
  std::vector<model::BaselineAdminNetworkPolicy> baselines;
  RETURN_IF_ERROR(LoadKind(store_, "BaselineAdminNetworkPolicy",
                           &model::DecodeBaselineAdminNetworkPolicy, &baselines, bad,
                           listing("BaselineAdminNetworkPolicy")));
  // The API admits only the singleton "default"; anything else would be a stale record.
  for (model::BaselineAdminNetworkPolicy& b : baselines) {
    if (b.metadata.name == "default") c.baseline = std::move(b);
  }
  undecodable_.swap(undecodable_seen_);
  return s;
}

Status PolicyController::SyncAll() {
  ASSIGN_OR_RETURN(Snapshot snap, Load());
  const core::netpol::PolicyCluster& cluster = snap.cluster;
  core::netpol::PolicyCompiler compiler(cluster);
  std::set<std::string> nodes;
  for (const model::Node& n : cluster.nodes) nodes.insert(n.metadata.name);
  for (const model::Pod& p : cluster.pods) {
    if (!p.spec.node_name.empty()) nodes.insert(p.spec.node_name);
  }
  std::map<std::string, core::netpol::NodePolicyState> states;
  for (const std::string& n : nodes) states[n] = compiler.CompileNode(n);
  hub_->Publish(std::move(states), compiler.Placement());
  // After the publish: the generations the writer records are those of the published placement.
  for (auto& [kind, listed] : snap.policies) {
    status_.ObserveListed(kind, std::move(listed.objects), listed.version);
  }
  return Status::Ok();
}

bool PolicyController::NeedsSync(const std::vector<ports::WatchEvent>& events) {
  bool needs = false;
  for (const ports::WatchEvent& ev : events) {
    const std::string& kind = ev.object.key.kind;
    if (!IsInputKind(kind)) continue;
    if (kind == "Node" && !nodes_.Matters(ev)) continue;  // a status heartbeat
    if (IsPolicyKind(kind)) {
      if (ev.type == ports::EventType::kModified && status_.ObserveStatusOnly(ev.object)) continue;
      if (ev.type == ports::EventType::kDeleted) {
        status_.Forget(ev.object.key, ev.object.resource_version);
      }
    }
    needs = true;
  }
  return needs;
}

void PolicyController::Run() {
  RunSyncLoop({.store = store_,
               .kind = "",
               .sync = [this] { return SyncAll(); },
               .relevant = [this](const std::vector<ports::WatchEvent>& events) {
                 return NeedsSync(events);
               },
               .on_error =
                   [](const Status& st) {
                     EGRET_LOG(kWarn, "policy") << "sync: " << st.message();
                   }},
              loop_);
}

}  // namespace egret::controller
