#include "controller/policy_status.h"

#include <algorithm>
#include <iterator>

#include "common/clock.h"
#include "common/log.h"
#include "common/strings.h"
#include "doc/json.h"
#include "model/admin_network_policy.h"
#include "model/kind_codec.h"
#include "model/network_policy.h"

namespace egret::controller {
namespace {

template <typename T>
StatusOr<StoredPolicyStatus> ReadAs(const doc::Value& v, const ports::StoredObject& obj,
                                    T (*decode)(const doc::Value&, model::FieldErrors*)) {
  ASSIGN_OR_RETURN(T typed, model::DecodeTyped(v, obj.key.kind, decode));
  return StoredPolicyStatus{.resource_version = obj.resource_version,
                            .generation = typed.metadata.generation,
                            .conditions = std::move(typed.conditions)};
}

std::string StatusJson(const std::vector<model::Condition>& conditions) {
  doc::Value status = doc::Value::EmptyMap();
  status.Set("conditions", model::EncodeConditions(conditions, model::ConditionSchema::kMetaV1));
  return doc::ToJson(status);
}

const model::Condition* FindCondition(const std::vector<model::Condition>& list,
                                      std::string_view type) {
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const model::Condition& c) { return c.type == type; });
  return it == list.end() ? nullptr : &*it;
}

std::string ObjectName(const ports::ObjectKey& key) {
  return key.kind + " " +
         Quote(key.namespace_.empty() ? key.name : key.namespace_ + "/" + key.name);
}

}  // namespace

ports::ObjectKey PolicyKey(const core::netpol::PolicyRef& ref) {
  return {std::string(core::netpol::PolicyKindName(ref.kind)), ref.namespace_, ref.name};
}

model::Condition RealizationCondition(const PolicyRealization& r, int64_t generation) {
  bool done = r.realized >= r.nodes.size();
  return {.type = std::string(kPolicyReadyCondition),
          .status = done ? model::ConditionStatus::kTrue : model::ConditionStatus::kFalse,
          .reason = std::string(done ? kReasonRealized : kReasonPending),
          .message = "realized on " + std::to_string(r.realized) + " of " +
                     std::to_string(r.nodes.size()) + " nodes",
          .observed_generation = generation};
}

std::vector<model::Condition> MergeCondition(const std::vector<model::Condition>& stored,
                                             model::Condition want, const std::string& now) {
  std::vector<model::Condition> out = stored;
  auto it = std::find_if(out.begin(), out.end(),
                         [&](const model::Condition& c) { return c.type == want.type; });
  bool same_status = it != out.end() && it->status == want.status;
  want.last_transition_time =
      same_status && !it->last_transition_time.empty() ? it->last_transition_time : now;
  if (it == out.end()) {
    out.push_back(std::move(want));
  } else {
    *it = std::move(want);
  }
  return out;
}

StatusOr<StoredPolicyStatus> ReadPolicyStatus(const ports::StoredObject& obj) {
  ASSIGN_OR_RETURN(doc::Value v, doc::ParseJson(obj.json));
  if (obj.key.kind == "NetworkPolicy") return ReadAs(v, obj, &model::DecodeNetworkPolicy);
  if (obj.key.kind == "AdminNetworkPolicy") {
    return ReadAs(v, obj, &model::DecodeAdminNetworkPolicy);
  }
  if (obj.key.kind == "BaselineAdminNetworkPolicy") {
    return ReadAs(v, obj, &model::DecodeBaselineAdminNetworkPolicy);
  }
  return InvalidError(obj.key.kind + " is not a policy kind");
}

void PolicyStatusWriter::Start() {
  started_ = std::chrono::steady_clock::now();
  loop_.Start([this] { Run(); });
}

void PolicyStatusWriter::Stop() { loop_.Stop(); }

void PolicyStatusWriter::Run() {
  while (loop_.WaitFor(options_.interval)) {
    Status st = WriteChanges();
    std::string error = st.ok() ? "" : st.message();
    if (error != last_error_ && !error.empty()) {
      EGRET_LOG(kWarn, "policy-status") << "writing policy status: " << error;
    }
    last_error_ = error;
  }
}

void PolicyStatusWriter::ObserveListed(std::string_view kind,
                                       std::map<ports::ObjectKey, StoredPolicyStatus> listed,
                                       int64_t list_version) {
  std::lock_guard lock(mu_);
  for (auto it = stored_.begin(); it != stored_.end();) {
    bool gone = it->first.kind == kind && !listed.contains(it->first) &&
                it->second.resource_version <= list_version;
    it = gone ? stored_.erase(it) : std::next(it);
  }
  for (auto& [key, status] : listed) {
    StoredPolicyStatus& known = stored_[key];
    // A write of ours may have landed after the list: the newer version wins.
    if (status.resource_version >= known.resource_version) known = std::move(status);
  }
}

bool PolicyStatusWriter::ObserveStatusOnly(const ports::StoredObject& obj) {
  StatusOr<StoredPolicyStatus> read = ReadPolicyStatus(obj);
  if (!read.ok()) return false;
  std::lock_guard lock(mu_);
  auto it = stored_.find(obj.key);
  if (it == stored_.end() || read->generation > it->second.generation) return false;
  // The published placement reflects the known generation, which an older event may not have.
  read->generation = it->second.generation;
  if (read->resource_version >= it->second.resource_version) it->second = std::move(*read);
  return true;
}

void PolicyStatusWriter::Forget(const ports::ObjectKey& key, int64_t deleted_version) {
  std::lock_guard lock(mu_);
  auto it = stored_.find(key);
  if (it != stored_.end() && it->second.resource_version < deleted_version) stored_.erase(it);
}

bool PolicyStatusWriter::HeldByGrace(const StoredPolicyStatus& stored,
                                     const std::vector<model::Condition>& want) {
  if (std::chrono::steady_clock::now() - started_ >= options_.restart_grace) return false;
  const model::Condition* before = FindCondition(stored.conditions, kPolicyReadyCondition);
  const model::Condition* after = FindCondition(want, kPolicyReadyCondition);
  return before && after && before->status == model::ConditionStatus::kTrue &&
         after->status == model::ConditionStatus::kFalse &&
         before->observed_generation == after->observed_generation;
}

Status PolicyStatusWriter::WriteOne(const ports::ObjectKey& key, const StoredPolicyStatus& stored,
                                    std::vector<model::Condition> want) {
  std::string json = StatusJson(want);
  auto done = store_->PutStatus(key, json, stored.resource_version);
  if (!done.ok()) {
    Code code = done.status().code();
    return code == Code::kConflict || code == Code::kNotFound ? Status::Ok() : done.status();
  }
  {
    std::lock_guard lock(mu_);
    auto it = stored_.find(key);
    // Unless an event overtook the write (then that event's view is the newer one).
    if (it != stored_.end() && it->second.resource_version == stored.resource_version) {
      it->second.resource_version = done->resource_version;
      it->second.conditions = std::move(want);
    }
  }
  EGRET_LOG(kInfo, "policy-status") << ObjectName(key) << ": status " << json;
  return Status::Ok();
}

Status PolicyStatusWriter::WriteChanges() {
  std::string now = NowRfc3339();
  Status first;
  for (const PolicyRealization& r : hub_->Realization()) {
    if (loop_.stopping()) break;
    ports::ObjectKey key = PolicyKey(r.policy);
    StoredPolicyStatus stored;
    {
      std::lock_guard lock(mu_);
      auto it = stored_.find(key);
      if (it == stored_.end()) continue;  // not observed yet: its list brings it
      stored = it->second;
    }
    std::vector<model::Condition> want =
        MergeCondition(stored.conditions, RealizationCondition(r, stored.generation), now);
    if (want == stored.conditions || HeldByGrace(stored, want)) continue;
    Status st = WriteOne(key, stored, std::move(want));
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace egret::controller
