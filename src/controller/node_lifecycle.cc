#include "controller/node_lifecycle.h"

#include "api/protocol.h"
#include "common/clock.h"
#include "common/log.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

constexpr std::chrono::seconds kPeriod{5};

// The Ready condition of a Node document's status, or nullptr.
doc::Value* ReadyCondition(doc::Value* status) {
  doc::Value* conds = status ? status->Find("conditions") : nullptr;
  if (!conds || !conds->is_list()) return nullptr;
  for (doc::Value& c : conds->as_list()) {
    if (api::StringField(c, "type") == "Ready") return &c;
  }
  return nullptr;
}

}  // namespace

void NodeLifecycle::Start() {
  loop_.Start([this] { Run(); });
}

void NodeLifecycle::Stop() { loop_.Stop(); }

StatusOr<std::vector<std::string>> NodeLifecycle::SyncAll(int64_t now_unix) {
  ASSIGN_OR_RETURN(ports::ListResult nodes, store_->List("Node", ""));
  std::vector<std::string> marked;
  for (const ports::StoredObject& n : nodes.items) {
    auto v = doc::ParseJson(n.json);
    if (!v.ok()) continue;
    doc::Value* status = v->Find("status");
    doc::Value* ready = ReadyCondition(status);
    if (!ready || api::StringField(*ready, "status") != "True") continue;
    std::string beat = api::StringField(*ready, "lastHeartbeatTime");
    std::optional<int64_t> at = ParseRfc3339(beat);
    if (!at || now_unix - *at <= grace_.count()) continue;
    ready->Set("status", "Unknown");
    ready->Set("reason", "NodeStatusUnknown");
    ready->Set("message", "the egret agent stopped posting node status (last at " + beat + ")");
    ready->Set("lastTransitionTime", Rfc3339(now_unix));
    auto put = store_->PutStatus(n.key, doc::ToJson(*status), n.resource_version);
    if (!put.ok()) {
      // Conflict: the agent posted meanwhile (the node is alive) or another writer; next pass.
      if (put.status().code() != Code::kConflict) return put.status();
      continue;
    }
    EGRET_LOG(kWarn, "node-lifecycle") << "Node " << n.key.name << ": no status for more than "
                                       << grace_.count() << " s (last " << beat
                                       << "): Ready is Unknown";
    marked.push_back(n.key.name);
  }
  return marked;
}

void NodeLifecycle::Run() {
  while (!loop_.stopping()) {
    auto done = SyncAll(NowUnix());
    if (!done.ok()) EGRET_LOG(kWarn, "node-lifecycle") << done.status().message();
    loop_.WaitFor(kPeriod);
  }
}

}  // namespace egret::controller
