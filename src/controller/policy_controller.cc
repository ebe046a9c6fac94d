#include "controller/policy_controller.h"

#include <array>
#include <set>

#include "common/log.h"
#include "core/netpol/compile.h"
#include "doc/json.h"
#include "model/kind_codec.h"

namespace egret::controller {
namespace {

constexpr std::chrono::milliseconds kWatchPoll{500};
constexpr std::array<std::string_view, 6> kInputKinds = {
    "Pod",           "Namespace",          "Node",
    "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"};

template <typename T>
using DecodeFn = T (*)(const doc::Value&, model::FieldErrors*);

// Lists `kind` and decodes each object into `out`; those that fail go to `bad`.
template <typename T, typename OnBad>
Status LoadKind(ports::Datastore* store, const std::string& kind, DecodeFn<T> decode,
                std::vector<T>* out, OnBad bad) {
  ASSIGN_OR_RETURN(ports::ListResult list, store->List(kind, ""));
  for (const ports::StoredObject& obj : list.items) {
    auto v = doc::ParseJson(obj.json);
    StatusOr<T> typed = v.ok() ? model::DecodeTyped(*v, kind, decode) : StatusOr<T>(v.status());
    if (!typed.ok()) {
      bad(obj, typed.status());
      continue;
    }
    out->push_back(std::move(*typed));
  }
  return Status::Ok();
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
}

void PolicyController::Stop() { loop_.Stop(); }

void PolicyController::NoteUndecodable(const ports::StoredObject& obj, const Status& why) {
  undecodable_seen_[obj.key] = obj.resource_version;
  auto it = undecodable_.find(obj.key);
  if (it != undecodable_.end() && it->second == obj.resource_version) return;
  EGRET_LOG(kWarn, "policy") << "skipping a stored object that does not decode: " << why.message();
}

StatusOr<core::netpol::PolicyCluster> PolicyController::Load() {
  core::netpol::PolicyCluster c;
  undecodable_seen_.clear();
  auto bad = [this](const ports::StoredObject& o, const Status& why) { NoteUndecodable(o, why); };
  RETURN_IF_ERROR(LoadKind(store_, "Namespace", &model::DecodeNamespace, &c.namespaces, bad));
  RETURN_IF_ERROR(LoadKind(store_, "Node", &model::DecodeNode, &c.nodes, bad));
  RETURN_IF_ERROR(LoadKind(store_, "Pod", &model::DecodePod, &c.pods, bad));
  RETURN_IF_ERROR(
      LoadKind(store_, "NetworkPolicy", &model::DecodeNetworkPolicy, &c.network_policies, bad));
  RETURN_IF_ERROR(LoadKind(store_, "AdminNetworkPolicy", &model::DecodeAdminNetworkPolicy,
                           &c.admin_policies, bad));
  std::vector<model::BaselineAdminNetworkPolicy> baselines;
  RETURN_IF_ERROR(LoadKind(store_, "BaselineAdminNetworkPolicy",
                           &model::DecodeBaselineAdminNetworkPolicy, &baselines, bad));
  // The API admits only the singleton "default"; anything else would be a stale record.
  for (model::BaselineAdminNetworkPolicy& b : baselines) {
    if (b.metadata.name == "default") c.baseline = std::move(b);
  }
  undecodable_.swap(undecodable_seen_);
  return c;
}

Status PolicyController::SyncAll() {
  ASSIGN_OR_RETURN(core::netpol::PolicyCluster cluster, Load());
  core::netpol::PolicyCompiler compiler(cluster);
  std::set<std::string> nodes;
  for (const model::Node& n : cluster.nodes) nodes.insert(n.metadata.name);
  for (const model::Pod& p : cluster.pods) {
    if (!p.spec.node_name.empty()) nodes.insert(p.spec.node_name);
  }
  std::map<std::string, core::netpol::NodePolicyState> states;
  for (const std::string& n : nodes) states[n] = compiler.CompileNode(n);
  hub_->Publish(std::move(states), compiler.Placement());
  return Status::Ok();
}

void PolicyController::Run() {
  auto log_sync = [](const Status& st) {
    if (!st.ok()) EGRET_LOG(kWarn, "policy") << "sync: " << st.message();
  };
  while (!loop_.stopping()) {
    int64_t from = store_->CurrentVersion();
    log_sync(SyncAll());
    auto watch = store_->Watch("", from);
    if (!watch.ok()) {
      loop_.WaitFor(kWatchPoll);
      continue;
    }
    while (!loop_.stopping()) {
      auto events = (*watch)->Next(kWatchPoll);
      if (!events.ok()) break;  // Gone or closed: relist
      bool needs = false;
      for (const ports::WatchEvent& ev : *events) needs |= IsInputKind(ev.object.key.kind);
      if (needs) log_sync(SyncAll());
    }
  }
}

}  // namespace egret::controller
