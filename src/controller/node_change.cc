#include "controller/node_change.h"

#include "api/protocol.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

// What of a Node document the controllers read, as text: labels, addresses, Ready status.
std::string Fingerprint(const doc::Value& node) {
  doc::Value f = doc::Value::EmptyMap();
  if (const doc::Value* md = node.Find("metadata"); md && md->Find("labels")) {
    f.Set("labels", *md->Find("labels"));
  }
  const doc::Value* status = node.Find("status");
  if (status && status->Find("addresses")) f.Set("addresses", *status->Find("addresses"));
  const doc::Value* conds = status ? status->Find("conditions") : nullptr;
  if (conds && conds->is_list()) {
    for (const doc::Value& c : conds->as_list()) {
      if (api::StringField(c, "type") == "Ready") f.Set("ready", api::StringField(c, "status"));
    }
  }
  if (const doc::Value* spec = node.Find("spec")) f.Set("spec", *spec);
  return doc::ToJson(f);
}

}  // namespace

bool NodeChangeFilter::Matters(const ports::WatchEvent& ev) {
  const std::string& name = ev.object.key.name;
  if (ev.type == ports::EventType::kDeleted) {
    seen_.erase(name);
    return true;
  }
  auto v = doc::ParseJson(ev.object.json);
  if (!v.ok()) return true;
  std::string fp = Fingerprint(*v);
  auto [it, fresh] = seen_.try_emplace(name, fp);
  if (fresh) return true;
  if (it->second == fp) return false;
  it->second = std::move(fp);
  return true;
}

}  // namespace egret::controller
