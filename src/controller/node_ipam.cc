#include "controller/node_ipam.h"

#include "common/log.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

constexpr std::chrono::milliseconds kWatchPoll{500};

std::vector<model::Cidr> PodCidrsOf(const doc::Value& node) {
  std::vector<model::Cidr> out;
  const doc::Value* spec = node.Find("spec");
  const doc::Value* list = spec ? spec->Find("podCIDRs") : nullptr;
  if (!list || !list->is_list()) return out;
  for (const doc::Value& c : list->as_list()) {
    if (!c.is_string()) continue;
    if (auto cidr = model::Cidr::Parse(c.as_string())) out.push_back(*cidr);
  }
  return out;
}

}  // namespace

void NodeIpam::Start() {
  loop_.Start([this] { Run(); });
}

void NodeIpam::Stop() {
  loop_.Stop();
}

Status NodeIpam::SyncNode(const ports::StoredObject& node, std::vector<model::Cidr>* assigned) {
  ASSIGN_OR_RETURN(doc::Value v, doc::ParseJson(node.json));
  if (!PodCidrsOf(v).empty()) return Status::Ok();
  auto cidrs = allocator_.Allocate(*assigned);
  if (!cidrs.ok()) {
    EGRET_LOG(kWarn, "node-ipam") << "Node " << node.key.name << ": " << cidrs.status().message();
    return cidrs.status();
  }
  doc::Value& spec = v.Find("spec") ? *v.Find("spec") : v.Set("spec", doc::Value::EmptyMap());
  doc::Value list = doc::Value::EmptyList();
  for (const model::Cidr& c : *cidrs) list.Append(c.ToString());
  spec.Set("podCIDR", (*cidrs)[0].ToString());
  spec.Set("podCIDRs", std::move(list));
  v.Erase("status");
  auto done = store_->Commit(
      {{ports::Write::Op::kPut, node.key, doc::ToJson(v), node.resource_version}});
  if (!done.ok()) return done.status();
  assigned->insert(assigned->end(), cidrs->begin(), cidrs->end());
  std::string text;
  for (const model::Cidr& c : *cidrs) text += (text.empty() ? "" : ",") + c.ToString();
  EGRET_LOG(kInfo, "node-ipam") << "Node " << node.key.name << " gets pod CIDRs " << text;
  return Status::Ok();
}

Status NodeIpam::SyncAll() {
  ASSIGN_OR_RETURN(ports::ListResult nodes, store_->List("Node", ""));
  std::vector<model::Cidr> assigned;
  for (const ports::StoredObject& n : nodes.items) {
    auto v = doc::ParseJson(n.json);
    if (!v.ok()) continue;
    for (const model::Cidr& c : PodCidrsOf(*v)) assigned.push_back(c);
  }
  Status first_error;
  for (const ports::StoredObject& n : nodes.items) {
    Status st = SyncNode(n, &assigned);
    if (!st.ok() && first_error.ok()) first_error = st;
  }
  return first_error;
}

void NodeIpam::Run() {
  auto backoff = std::chrono::milliseconds(500);
  auto pause = [&] {  // before relisting after a store failure; ends at once on Stop()
    loop_.WaitFor(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  };
  while (!loop_.stopping()) {
    int64_t from = store_->CurrentVersion();
    Status st = SyncAll();
    if (!st.ok() && st.code() != Code::kConflict) {
      EGRET_LOG(kDebug, "node-ipam") << "sync: " << st.message();
    }
    auto watch = store_->Watch("Node", from);
    if (!watch.ok()) {
      pause();
      continue;
    }
    // Resync on every Node change (and on a conflict, which means someone else wrote first).
    while (!loop_.stopping()) {
      auto events = (*watch)->Next(kWatchPoll);
      if (!events.ok()) {  // Gone or closed: relist, after a pause
        pause();
        break;
      }
      backoff = std::chrono::milliseconds(500);
      if (events->empty()) continue;
      bool needs = st.code() == Code::kConflict;
      for (const ports::WatchEvent& ev : *events) {
        needs |= ev.type != ports::EventType::kDeleted;
      }
      if (!needs) continue;
      st = SyncAll();
      if (!st.ok() && st.code() != Code::kConflict) {
        EGRET_LOG(kDebug, "node-ipam") << "sync: " << st.message();
      }
    }
  }
}

}  // namespace egret::controller
