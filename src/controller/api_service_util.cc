#include "controller/api_service_util.h"

#include "doc/json.h"

namespace egret::controller {

doc::Value Reply(doc::Value v) {
  v.Set("ok", true);
  return v;
}

ports::ObjectKey KeyOf(const model::Object& o) {
  return {std::string(o.kind->kind), o.meta.namespace_, o.meta.name};
}

std::string RefText(const ports::ObjectKey& k) {
  return model::ObjectRef(k.kind, k.namespace_, k.name);
}

doc::Value RefValue(const ports::ObjectKey& k) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("kind", k.kind);
  if (!k.namespace_.empty()) v.Set("namespace", k.namespace_);
  v.Set("name", k.name);
  return v;
}

std::string SpecDocument(const model::Object& o) {
  doc::Value d = o.doc;
  if (doc::Value* md = d.Find("metadata")) {
    md->Erase("uid");
    md->Erase("resourceVersion");
    md->Erase("generation");
    md->Erase("creationTimestamp");
  }
  d.Erase("status");
  return doc::ToJson(d);
}

StatusOr<doc::Value> ParseStored(const ports::StoredObject& s) {
  auto v = doc::ParseJson(s.json);
  if (!v.ok()) return InternalError("stored object " + RefText(s.key) + " is not JSON");
  return v;
}

}  // namespace egret::controller
