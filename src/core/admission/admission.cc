#include "core/admission/admission.h"

#include <map>
#include <string>

#include "core/admission/egress_state.h"
#include "model/kind_codec.h"

namespace egret::core::admission {
namespace {

using internal::EgressState;
using internal::GatewayState;
using internal::PolicyState;
using internal::Violations;

constexpr std::string_view kGateway = "EgressGateway";
constexpr std::string_view kPolicy = "EgressPolicy";
constexpr std::string_view kClusterPolicy = "EgressClusterPolicy";

bool IsConsulted(const model::Object& o) {
  if (!o.kind) return false;
  std::string_view k = o.kind->kind;
  return k == kGateway || k == kPolicy || k == kClusterPolicy;
}

std::string Key(const model::Object& o) {
  return std::string(o.kind->kind) + "/" + o.meta.namespace_ + "/" + o.meta.name;
}

// Documents reach admission canonical; one that does not decode is a bug upstream.
Status Undecodable(const Status& s) {
  return InternalError("admission got a document that does not decode: " + s.message());
}

Status AddGateway(const model::Object& now, const model::Object* before,
                  std::optional<size_t> batch_index, EgressState* s) {
  GatewayState g;
  g.object = &now;
  g.batch_index = batch_index;
  StatusOr<model::EgressGateway> gw =
      model::DecodeTyped(now.doc, kGateway, &model::DecodeEgressGateway);
  if (!gw.ok()) return Undecodable(gw.status());
  g.now = std::move(*gw);
  if (before) {
    StatusOr<model::EgressGateway> old =
        model::DecodeTyped(before->doc, kGateway, &model::DecodeEgressGateway);
    if (!old.ok()) return Undecodable(old.status());
    g.before = std::move(*old);
  }
  s->gateways.push_back(std::move(g));
  return Status::Ok();
}

// Spec and status of either policy kind.
StatusOr<std::pair<model::EgressPolicySpec, model::EgressPolicyStatus>> DecodePolicy(
    const model::Object& o) {
  if (o.kind->kind == kPolicy) {
    StatusOr<model::EgressPolicy> p =
        model::DecodeTyped(o.doc, kPolicy, &model::DecodeEgressPolicy);
    if (!p.ok()) return Undecodable(p.status());
    return std::make_pair(std::move(p->spec), std::move(p->status));
  }
  StatusOr<model::EgressClusterPolicy> p =
      model::DecodeTyped(o.doc, kClusterPolicy, &model::DecodeEgressClusterPolicy);
  if (!p.ok()) return Undecodable(p.status());
  return std::make_pair(std::move(p->spec), std::move(p->status));
}

Status AddPolicy(const model::Object& now, const model::Object* before,
                 std::optional<size_t> batch_index, EgressState* s) {
  PolicyState p;
  p.object = &now;
  p.batch_index = batch_index;
  ASSIGN_OR_RETURN(auto parts, DecodePolicy(now));
  p.spec = std::move(parts.first);
  if (!batch_index) p.stored_status = std::move(parts.second);  // untouched stored object
  if (before) {
    ASSIGN_OR_RETURN(auto old, DecodePolicy(*before));
    p.spec_before = std::move(old.first);
    p.stored_status = std::move(old.second);
  }
  s->policies.push_back(std::move(p));
  return Status::Ok();
}

Status Add(const model::Object& now, const model::Object* before, std::optional<size_t> batch_index,
           EgressState* s) {
  if (now.kind->kind == kGateway) return AddGateway(now, before, batch_index, s);
  return AddPolicy(now, before, batch_index, s);
}

// The egress objects as they would be after the apply. The same object twice in the batch is
// a violation; the first occurrence is kept so the other rules still run.
StatusOr<EgressState> BuildState(std::span<const model::Object> existing,
                                 std::span<const model::Object> incoming, Violations* v) {
  std::map<std::string, const model::Object*> stored;
  for (const model::Object& o : existing) {
    if (IsConsulted(o)) stored.emplace(Key(o), &o);
  }
  std::map<std::string, size_t> in_batch;
  std::vector<size_t> order;
  for (size_t i = 0; i < incoming.size(); ++i) {
    if (!IsConsulted(incoming[i])) continue;
    if (in_batch.emplace(Key(incoming[i]), i).second) {
      order.push_back(i);
    } else {
      v->Add(i, "", "appears more than once in this batch: give each object once");
    }
  }
  // Untouched stored policies matter only to the addresses-in-use rule, which runs for gateway
  // updates; skipping them otherwise spares decoding every policy of a large cluster.
  bool gateway_update = false;
  for (size_t i : order) {
    gateway_update |= incoming[i].kind->kind == kGateway && stored.contains(Key(incoming[i]));
  }
  EgressState s;
  for (const auto& [key, obj] : stored) {
    if (in_batch.contains(key)) continue;
    if (obj->kind->kind != kGateway && !gateway_update) continue;
    RETURN_IF_ERROR(Add(*obj, nullptr, std::nullopt, &s));
  }
  for (size_t i : order) {
    auto it = stored.find(Key(incoming[i]));
    const model::Object* before = it == stored.end() ? nullptr : it->second;
    RETURN_IF_ERROR(Add(incoming[i], before, i, &s));
  }
  return s;
}

}  // namespace

namespace internal {

Status Violations::ToStatus() const {
  std::string msg;
  for (size_t i = 0; i < errors_.size(); ++i) {
    if (errors_[i].empty()) continue;
    const model::Object& o = incoming_[i];
    Status s =
        errors_[i].ToStatus(o.kind ? o.kind->kind : "object", o.meta.namespace_, o.meta.name);
    if (!msg.empty()) msg += '\n';
    msg += s.message();
  }
  if (msg.empty()) return Status::Ok();
  return InvalidError(std::move(msg));
}

const GatewayState* EgressState::FindGateway(std::string_view name) const {
  for (const GatewayState& g : gateways) {
    if (g.object->meta.name == name) return &g;
  }
  return nullptr;
}

}  // namespace internal

std::vector<std::string_view> KindsConsulted() { return {kGateway, kPolicy, kClusterPolicy}; }

Status AdmitApply(const ClusterConfig& cfg, std::span<const model::Object> existing,
                  std::span<const model::Object> incoming) {
  Violations v(incoming);
  ASSIGN_OR_RETURN(EgressState s, BuildState(existing, incoming, &v));
  internal::CheckFamiliesEnabled(cfg, s, &v);
  internal::CheckPoolsDisjoint(s, &v);
  internal::CheckOneClusterDefault(s, &v);
  internal::CheckEipInNamedPool(s, &v);
  internal::CheckImmutableFields(s, &v);
  internal::CheckPoolAddressesInUse(s, &v);
  return v.ToStatus();
}

Status AdmitDelete(const ClusterConfig&, std::span<const model::Object>,
                   std::span<const model::Object>) {
  return Status::Ok();
}

}  // namespace egret::core::admission
