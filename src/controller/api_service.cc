#include "controller/api_service.h"

#include "controller/api_service_util.h"

#include "api/protocol.h"
#include "common/log.h"
#include "common/strings.h"
#include "doc/json.h"
#include "model/kinds.h"
#include "model/selector_text.h"

namespace egret::controller {
namespace {

using api::StringField;

}  // namespace

StatusOr<ports::ObjectKey> ResolveRef(const doc::Value& ref) {
  std::string kind_name = StringField(ref, "kind");
  const model::KindInfo* kind = model::FindKind(kind_name);
  if (!kind) return NotFoundError("the server doesn't have a resource type " + Quote(kind_name));
  ports::ObjectKey key{std::string(kind->kind), StringField(ref, "namespace"),
                       StringField(ref, "name")};
  if (key.name.empty()) return InvalidError("a name is required");
  if (kind->namespaced && key.namespace_.empty()) key.namespace_ = "default";
  if (!kind->namespaced) key.namespace_.clear();
  return key;
}

Status ApiService::EnsureBuiltins() {
  auto ns = store_->Get({"Namespace", "", "default"});
  if (ns.ok()) return Status::Ok();
  if (ns.status().code() != Code::kNotFound) return ns.status();
  doc::Value d = doc::Value::EmptyMap();
  d.Set("apiVersion", "v1");
  d.Set("kind", "Namespace");
  d.Set("metadata", doc::Value::EmptyMap()).Set("name", "default");
  ASSIGN_OR_RETURN(model::Object obj, model::DecodeObject(d));
  ports::Write w{ports::Write::Op::kPut, KeyOf(obj), SpecDocument(obj), std::nullopt};
  auto res = store_->Commit({w});
  return res.ok() ? Status::Ok() : res.status();
}

doc::Value ApiService::Handle(const doc::Value& request) {
  std::string op = StringField(request, "op");
  if (op == "get") return Get(request);
  if (op == "list") return List(request);
  if (op == "apply") return Apply(request);
  if (op == "delete") return Delete(request);
  if (op == "putStatus") return PutStatus(request);
  if (op == "lease") return Lease(request);
  if (op == "clusterInfo") {
    doc::Value v = doc::Value::EmptyMap();
    auto put = [&](std::string_view key, const std::vector<model::Cidr>& cidrs) {
      doc::Value& list = v.Set(key, doc::Value::EmptyList());
      for (const model::Cidr& c : cidrs) list.Append(c.ToString());
    };
    put("clusterCIDRs", info_.cluster_cidrs);
    put("serviceCIDRs", info_.service_cidrs);
    put("extraInternalCIDRs", info_.extra_internal);
    doc::Value& fam = v.Set("ipFamilies", doc::Value::EmptyList());
    if (config_.ipv4_enabled) fam.Append("IPv4");
    if (config_.ipv6_enabled) fam.Append("IPv6");
    return Reply(std::move(v));
  }
  if (op == "version") {
    doc::Value v = doc::Value::EmptyMap();
    v.Set("protocol", api::kProtocolVersion);
    v.Set("resourceVersion", std::to_string(store_->CurrentVersion()));
    return Reply(std::move(v));
  }
  return api::ErrorReply(InvalidError("unknown op " + Quote(op)));
}

doc::Value ApiService::Get(const doc::Value& req) {
  const doc::Value* ref = req.Find("ref");
  if (!ref) return api::ErrorReply(InvalidError("get: ref is required"));
  auto key = ResolveRef(*ref);
  if (!key.ok()) return api::ErrorReply(key.status());
  auto stored = store_->Get(*key);
  if (!stored.ok()) {
    if (stored.status().code() == Code::kNotFound) {
      return api::ErrorReply(NotFoundError(RefText(*key) + " not found"));
    }
    return api::ErrorReply(stored.status());
  }
  auto v = ParseStored(*stored);
  if (!v.ok()) return api::ErrorReply(v.status());
  doc::Value out = doc::Value::EmptyMap();
  out.Set("object", std::move(*v));
  return Reply(std::move(out));
}

doc::Value ApiService::List(const doc::Value& req) {
  std::string kind_name = StringField(req, "kind");
  const model::KindInfo* kind = model::FindKind(kind_name);
  if (!kind) {
    return api::ErrorReply(
        NotFoundError("the server doesn't have a resource type " + Quote(kind_name)));
  }
  auto selector = model::ParseSelectorText(StringField(req, "labelSelector"));
  if (!selector.ok()) return api::ErrorReply(selector.status());
  std::string ns = kind->namespaced ? StringField(req, "namespace") : "";
  auto list = store_->List(std::string(kind->kind), ns);
  if (!list.ok()) return api::ErrorReply(list.status());
  doc::Value items = doc::Value::EmptyList();
  for (const ports::StoredObject& s : list->items) {
    auto v = ParseStored(s);
    if (!v.ok()) return api::ErrorReply(v.status());
    std::map<std::string, std::string> labels;
    if (const doc::Value* md = v->Find("metadata")) {
      if (const doc::Value* l = md->Find("labels"); l && l->is_map()) {
        for (const doc::Member& m : l->as_map()) {
          if (m.value.is_string()) labels[m.key] = m.value.as_string();
        }
      }
    }
    if (!selector->Matches(labels)) continue;
    items.Append(std::move(*v));
  }
  doc::Value out = doc::Value::EmptyMap();
  out.Set("kind", kind->kind);
  out.Set("items", std::move(items));
  out.Set("resourceVersion", std::to_string(list->resource_version));
  return Reply(std::move(out));
}

}  // namespace egret::controller
