// The write half of ApiService: apply, delete, putStatus, lease.
#include <set>

#include "api/protocol.h"
#include "common/log.h"
#include "common/strings.h"
#include "controller/api_service.h"
#include "controller/api_service_util.h"
#include "doc/json.h"
#include "model/kinds.h"

namespace egret::controller {
namespace {

using api::StringField;

StatusOr<std::vector<model::Object>> DecodeBatch(const doc::Value& req) {
  const doc::Value* objects = req.Find("objects");
  if (!objects || !objects->is_list()) return InvalidError("apply: objects must be a list");
  std::string default_ns = StringField(req, "defaultNamespace");
  std::vector<model::Object> batch;
  std::string errors;
  std::set<ports::ObjectKey> seen;
  for (const doc::Value& raw : objects->as_list()) {
    auto obj = model::DecodeObject(raw, default_ns);
    if (!obj.ok()) {
      errors += (errors.empty() ? "" : "\n") + obj.status().message();
      continue;
    }
    if (!seen.insert(KeyOf(*obj)).second) {
      errors += (errors.empty() ? "" : "\n") + obj->Ref() + ": appears twice in one apply";
      continue;
    }
    batch.push_back(std::move(*obj));
  }
  if (!errors.empty()) return InvalidError(errors);
  if (batch.empty()) return InvalidError("apply: no objects");
  return batch;
}

StatusOr<std::vector<model::Object>> LoadKinds(ports::Datastore* store,
                                               const std::vector<std::string_view>& kinds) {
  std::vector<model::Object> out;
  for (std::string_view kind : kinds) {
    ASSIGN_OR_RETURN(ports::ListResult list, store->List(std::string(kind), ""));
    for (const ports::StoredObject& s : list.items) {
      auto v = doc::ParseJson(s.json);
      if (!v.ok()) return InternalError("stored object " + RefText(s.key) + " is not JSON");
      auto obj = model::DecodeObject(*v);
      if (!obj.ok()) {
        EGRET_LOG(kWarn, "api") << "stored object " << RefText(s.key)
                                << " no longer validates: " << obj.status().message();
        continue;
      }
      out.push_back(std::move(*obj));
    }
  }
  return out;
}

Status CheckNamespaces(ports::Datastore* store, const std::vector<model::Object>& batch) {
  std::set<std::string> present;
  for (const model::Object& o : batch) {
    if (o.kind->kind == "Namespace") present.insert(o.meta.name);
  }
  std::string errors;
  std::set<std::string> missing;
  for (const model::Object& o : batch) {
    if (!o.kind->namespaced || present.contains(o.meta.namespace_)) continue;
    if (!missing.contains(o.meta.namespace_)) {
      auto ns = store->Get({"Namespace", "", o.meta.namespace_});
      if (ns.ok()) {
        present.insert(o.meta.namespace_);
        continue;
      }
      if (ns.status().code() != Code::kNotFound) return ns.status();
      missing.insert(o.meta.namespace_);
    }
    errors += (errors.empty() ? "" : "\n") + o.Ref() + ": metadata.namespace: namespace " +
              Quote(o.meta.namespace_) +
              " not found (create the Namespace first, or in the same apply)";
  }
  if (!errors.empty()) return InvalidError(errors);
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> VersionField(const doc::Value& req) {
  std::string rv = StringField(req, "resourceVersion");
  if (rv.empty()) return std::optional<int64_t>();
  auto n = ParseInt(rv);
  if (!n || *n < 0) return InvalidError("resourceVersion " + Quote(rv) + " is not a version");
  return std::optional<int64_t>(*n);
}

// A Node's pod CIDRs are set once (by the controller) and then fixed, as in Kubernetes: an
// apply that leaves them out keeps them, one that changes them is refused.
StatusOr<std::string> KeepNodePodCidrs(const model::Object& node, const ports::StoredObject& prev) {
  ASSIGN_OR_RETURN(doc::Value old_doc, ParseStored(prev));
  const doc::Value* old_spec = old_doc.Find("spec");
  const doc::Value* old_cidrs = old_spec ? old_spec->Find("podCIDRs") : nullptr;
  doc::Value d = node.doc;
  if (!old_cidrs || !old_cidrs->is_list() || old_cidrs->as_list().empty()) return SpecDocument(node);
  doc::Value* spec = d.Find("spec");
  const doc::Value* new_cidrs = spec ? spec->Find("podCIDRs") : nullptr;
  if (new_cidrs && !new_cidrs->empty_container() && !(*new_cidrs == *old_cidrs)) {
    return InvalidError(node.Ref() + ": spec.podCIDRs: may not change once set (it is " +
                        doc::ToJson(*old_cidrs) + ")");
  }
  if (!spec) spec = &d.Set("spec", doc::Value::EmptyMap());
  spec->Set("podCIDR", old_spec->Find("podCIDR") ? *old_spec->Find("podCIDR") : (*old_cidrs).as_list()[0]);
  spec->Set("podCIDRs", *old_cidrs);
  model::Object kept = node;
  kept.doc = std::move(d);
  return SpecDocument(kept);
}

}  // namespace

doc::Value ApiService::Apply(const doc::Value& req) {
  auto batch = DecodeBatch(req);
  if (!batch.ok()) return api::ErrorReply(batch.status());
  bool dry_run = req.Find("dryRun") && req.Find("dryRun")->is_bool() && req.Find("dryRun")->as_bool();

  std::lock_guard lock(write_mu_);
  if (Status st = CheckNamespaces(store_, *batch); !st.ok()) return api::ErrorReply(st);
  auto existing = LoadKinds(store_, core::admission::KindsConsulted());
  if (!existing.ok()) return api::ErrorReply(existing.status());
  if (Status st = core::admission::AdmitApply(config_, *existing, *batch); !st.ok()) {
    return api::ErrorReply(st);
  }

  std::vector<ports::Write> writes;
  std::vector<int64_t> before;  // stored version before the write; 0 = absent
  for (const model::Object& o : *batch) {
    auto prev = store_->Get(KeyOf(o));
    if (!prev.ok() && prev.status().code() != Code::kNotFound) return api::ErrorReply(prev.status());
    before.push_back(prev.ok() ? prev->resource_version : 0);
    std::optional<int64_t> expected;
    if (!o.meta.resource_version.empty()) expected = ParseInt(o.meta.resource_version);
    std::string doc = SpecDocument(o);
    if (prev.ok() && o.kind->kind == "Node") {
      auto kept = KeepNodePodCidrs(o, *prev);
      if (!kept.ok()) return api::ErrorReply(kept.status());
      doc = std::move(*kept);
    }
    writes.push_back({ports::Write::Op::kPut, KeyOf(o), std::move(doc), expected});
  }
  std::vector<ports::StoredObject> stored;
  if (!dry_run) {
    auto committed = store_->Commit(writes);
    if (!committed.ok()) return api::ErrorReply(committed.status());
    stored = std::move(*committed);
  }

  doc::Value results = doc::Value::EmptyList();
  for (size_t i = 0; i < batch->size(); ++i) {
    doc::Value r = RefValue(writes[i].key);
    std::string action = before[i] == 0 ? "created" : "configured";
    if (!dry_run && before[i] == stored[i].resource_version) action = "unchanged";
    if (dry_run) action += " (dry run)";
    r.Set("action", action);
    if (!dry_run) r.Set("resourceVersion", std::to_string(stored[i].resource_version));
    results.Append(std::move(r));
  }
  EGRET_LOG(kInfo, "api") << "applied " << batch->size() << " object(s)"
                          << (dry_run ? " (dry run)" : "");
  doc::Value out = doc::Value::EmptyMap();
  out.Set("results", std::move(results));
  return Reply(std::move(out));
}

doc::Value ApiService::Delete(const doc::Value& req) {
  const doc::Value* refs = req.Find("refs");
  if (!refs || !refs->is_list()) return api::ErrorReply(InvalidError("delete: refs must be a list"));
  bool ignore_missing = req.Find("ignoreNotFound") && req.Find("ignoreNotFound")->is_bool() &&
                        req.Find("ignoreNotFound")->as_bool();
  std::lock_guard lock(write_mu_);
  std::vector<ports::Write> writes;
  std::set<ports::ObjectKey> planned;
  std::string errors;
  auto plan = [&](const ports::ObjectKey& key) {
    if (planned.insert(key).second) writes.push_back({ports::Write::Op::kDelete, key, "", {}});
  };
  for (const doc::Value& ref : refs->as_list()) {
    auto key = ResolveRef(ref);
    if (!key.ok()) return api::ErrorReply(key.status());
    auto prev = store_->Get(*key);
    if (!prev.ok()) {
      if (prev.status().code() != Code::kNotFound) return api::ErrorReply(prev.status());
      if (!ignore_missing) errors += (errors.empty() ? "" : "\n") + RefText(*key) + " not found";
      continue;
    }
    // Deleting a Namespace deletes what lives in it, in the same atomic commit.
    if (key->kind == "Namespace") {
      for (const model::KindInfo& k : model::AllKinds()) {
        if (!k.namespaced) continue;
        auto list = store_->List(std::string(k.kind), key->name);
        if (!list.ok()) return api::ErrorReply(list.status());
        for (const ports::StoredObject& s : list->items) plan(s.key);
      }
    }
    plan(*key);
  }
  if (!errors.empty()) return api::ErrorReply(NotFoundError(errors));
  doc::Value deleted = doc::Value::EmptyList();
  if (!writes.empty()) {
    auto committed = store_->Commit(writes);
    if (!committed.ok()) return api::ErrorReply(committed.status());
    for (const ports::Write& w : writes) deleted.Append(RefValue(w.key));
  }
  doc::Value out = doc::Value::EmptyMap();
  out.Set("deleted", std::move(deleted));
  return Reply(std::move(out));
}

doc::Value ApiService::PutStatus(const doc::Value& req) {
  const doc::Value* ref = req.Find("ref");
  const doc::Value* status = req.Find("status");
  if (!ref || !status) return api::ErrorReply(InvalidError("putStatus: ref and status are required"));
  auto key = ResolveRef(*ref);
  if (!key.ok()) return api::ErrorReply(key.status());
  auto expected = VersionField(req);
  if (!expected.ok()) return api::ErrorReply(expected.status());
  auto current = store_->Get(*key);
  if (!current.ok()) return api::ErrorReply(current.status());
  // Validate the status by the kind's own rules: the object with the new status must decode.
  auto doc = doc::ParseJson(current->json);
  if (!doc.ok()) return api::ErrorReply(InternalError("stored object is not JSON"));
  doc->Set("status", *status);
  auto obj = model::DecodeObject(*doc);
  if (!obj.ok()) return api::ErrorReply(obj.status());
  const doc::Value* canonical_status = obj->doc.Find("status");
  std::string status_json = canonical_status ? doc::ToJson(*canonical_status) : "{}";
  auto stored = store_->PutStatus(*key, status_json, *expected);
  if (!stored.ok()) return api::ErrorReply(stored.status());
  auto out_doc = doc::ParseJson(stored->json);
  if (!out_doc.ok()) return api::ErrorReply(InternalError("stored object is not JSON"));
  doc::Value out = doc::Value::EmptyMap();
  out.Set("object", std::move(*out_doc));
  return Reply(std::move(out));
}

doc::Value ApiService::Lease(const doc::Value& req) {
  std::string action = StringField(req, "action");
  std::string name = StringField(req, "name");
  std::string holder = StringField(req, "holder");
  if (name.empty()) return api::ErrorReply(InvalidError("lease: name is required"));
  StatusOr<ports::Lease> lease = InternalError("unreachable");
  if (action == "acquire") {
    const doc::Value* ttl = req.Find("ttlMs");
    constexpr int64_t kMaxTtlMs = 3600 * 1000;
    if (holder.empty() || !ttl || !ttl->is_int() || ttl->as_int() <= 0 ||
        ttl->as_int() > kMaxTtlMs) {
      return api::ErrorReply(
          InvalidError("lease acquire: holder and a ttlMs of 1-3600000 are required"));
    }
    lease = store_->AcquireLease(name, holder, std::chrono::milliseconds(ttl->as_int()));
  } else if (action == "release") {
    Status st = store_->ReleaseLease(name, holder);
    if (!st.ok()) return api::ErrorReply(st);
    return api::OkReply();
  } else if (action == "get") {
    lease = store_->GetLease(name);
  } else {
    return api::ErrorReply(InvalidError("lease: action must be acquire, release or get"));
  }
  if (!lease.ok()) return api::ErrorReply(lease.status());
  doc::Value out = doc::Value::EmptyMap();
  doc::Value& l = out.Set("lease", doc::Value::EmptyMap());
  l.Set("name", lease->name);
  l.Set("holder", lease->holder);
  l.Set("expiresUnixMs", lease->expires_unix_ms);
  l.Set("resourceVersion", std::to_string(lease->resource_version));
  return Reply(std::move(out));
}

}  // namespace egret::controller
