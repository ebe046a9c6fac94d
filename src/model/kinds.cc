#include "model/kinds.h"

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {

std::span<const KindInfo> AllKinds() {
  static const std::vector<KindInfo> kKinds = {
      {"Namespace", "v1", "namespaces", {"ns"}, false, &CanonicalizeNamespace},
      {"Node", "v1", "nodes", {"no"}, false, &CanonicalizeNode},
      {"Pod", "v1", "pods", {"po"}, true, &CanonicalizePod},
      {"Service", "v1", "services", {"svc"}, true, &CanonicalizeService},
      {"EndpointSlice", "discovery.k8s.io/v1", "endpointslices", {}, true,
       &CanonicalizeEndpointSlice},
      {"NetworkPolicy", "networking.k8s.io/v1", "networkpolicies", {"netpol"}, true,
       &CanonicalizeNetworkPolicy},
      {"AdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1", "adminnetworkpolicies",
       {"anp"}, false, &CanonicalizeAdminNetworkPolicy},
      {"BaselineAdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1",
       "baselineadminnetworkpolicies", {"banp"}, false, &CanonicalizeBaselineAdminNetworkPolicy},
      {"EgressGateway", "egret.io/v1", "egressgateways", {"egw"}, false,
       &CanonicalizeEgressGateway},
      {"EgressPolicy", "egret.io/v1", "egresspolicies", {"egp"}, true, &CanonicalizeEgressPolicy},
      {"EgressClusterPolicy", "egret.io/v1", "egressclusterpolicies", {"egcp"}, false,
       &CanonicalizeEgressClusterPolicy},
  };
  return kKinds;
}

const KindInfo* FindKind(std::string_view name) {
  std::string n = ToLower(name);
  for (const KindInfo& k : AllKinds()) {
    if (n == ToLower(k.kind) || n == k.plural) return &k;
    for (std::string_view s : k.short_names) {
      if (n == s) return &k;
    }
  }
  return nullptr;
}

const KindInfo* FindKindExact(std::string_view api_version, std::string_view kind) {
  for (const KindInfo& k : AllKinds()) {
    if (k.kind == kind && k.api_version == api_version) return &k;
  }
  return nullptr;
}

std::string Object::Ref() const {
  return ObjectRef(kind ? kind->kind : "object", meta.namespace_, meta.name);
}

void SkipTypeMeta(ObjectReader& r) {
  (void)r.String("apiVersion");
  (void)r.String("kind");
}

doc::Value Envelope(const KindInfo& kind, const ObjectMeta& meta, doc::Value spec,
                    doc::Value status) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("apiVersion", kind.api_version);
  v.Set("kind", kind.kind);
  v.Set("metadata", EncodeMeta(meta));
  if (!spec.is_null()) v.Set("spec", std::move(spec));
  if (!status.is_null() && !status.empty_container()) v.Set("status", std::move(status));
  return v;
}

namespace {

// Names the document for errors found before its kind is known.
std::string DocumentRef(const doc::Value& v, size_t index) {
  std::string ref = "document " + std::to_string(index + 1);
  const doc::Value* md = v.Find("metadata");
  const doc::Value* name = md ? md->Find("name") : nullptr;
  if (name && name->is_string()) ref += " (" + Quote(name->as_string()) + ")";
  return ref;
}

StatusOr<Object> DecodeOne(const doc::Value& in, std::string_view default_namespace,
                           size_t index) {
  if (!in.is_map()) {
    return InvalidError(DocumentRef(in, index) + ": " + TypeMismatch("an object", in));
  }
  const doc::Value* api = in.Find("apiVersion");
  const doc::Value* kind = in.Find("kind");
  if (!api || !api->is_string() || api->as_string().empty()) {
    return InvalidError(DocumentRef(in, index) + ": apiVersion: Required value");
  }
  if (!kind || !kind->is_string() || kind->as_string().empty()) {
    return InvalidError(DocumentRef(in, index) + ": kind: Required value");
  }
  const KindInfo* info = FindKindExact(api->as_string(), kind->as_string());
  if (!info) {
    const KindInfo* by_name = FindKind(kind->as_string());
    std::string hint = by_name && by_name->kind == kind->as_string()
                           ? " (" + std::string(by_name->kind) + " is served as apiVersion " +
                                 Quote(by_name->api_version) + ")"
                           : "";
    return InvalidError(DocumentRef(in, index) + ": no kind " + Quote(kind->as_string()) +
                        " in apiVersion " + Quote(api->as_string()) + hint);
  }
  doc::Value v = in;
  if (info->namespaced && !default_namespace.empty()) {
    doc::Value* md = v.Find("metadata");
    if (md && md->is_map()) {
      const doc::Value* ns = md->Find("namespace");
      if (!ns || ns->is_null()) md->Set("namespace", default_namespace);
    }
  }
  ASSIGN_OR_RETURN(doc::Value canonical, info->canonicalize(v));
  Object obj;
  obj.kind = info;
  // The canonical document's metadata is valid by construction; only the other fields'
  // "unknown field" reports land in `unused`.
  FieldErrors unused;
  ObjectReader r(&canonical, "", &unused);
  obj.meta = DecodeMeta(r, info->namespaced);
  r.Finish();
  obj.doc = std::move(canonical);
  return obj;
}

void ExpandLists(const doc::Value& v, std::vector<const doc::Value*>* out) {
  const doc::Value* kind = v.Find("kind");
  const doc::Value* items = v.Find("items");
  if (kind && kind->is_string() && kind->as_string() == "List" && items && items->is_list()) {
    for (const doc::Value& item : items->as_list()) ExpandLists(item, out);
    return;
  }
  out->push_back(&v);
}

}  // namespace

StatusOr<Object> DecodeObject(const doc::Value& v, std::string_view default_namespace) {
  return DecodeOne(v, default_namespace, 0);
}

StatusOr<std::vector<Object>> DecodeObjects(std::string_view text,
                                            std::string_view default_namespace) {
  ASSIGN_OR_RETURN(std::vector<doc::Value> docs, doc::ParseDocuments(text));
  std::vector<const doc::Value*> flat;
  for (const doc::Value& d : docs) ExpandLists(d, &flat);
  std::vector<Object> out;
  std::string errors;
  for (size_t i = 0; i < flat.size(); ++i) {
    StatusOr<Object> obj = DecodeOne(*flat[i], default_namespace, i);
    if (!obj.ok()) {
      if (!errors.empty()) errors += '\n';
      errors += obj.status().message();
      continue;
    }
    out.push_back(std::move(*obj));
  }
  if (!errors.empty()) return InvalidError(std::move(errors));
  if (out.empty()) return InvalidError("no objects in input");
  return out;
}

}  // namespace egret::model
