#include "model/condition.h"

#include <algorithm>
#include <optional>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/meta.h"

namespace egret::model {
namespace {

// metav1.Condition bounds (the upstream CRD schema).
constexpr size_t kMaxType = 316;
constexpr size_t kMaxReason = 1024;
constexpr size_t kMaxMessage = 32768;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// metav1's pattern of Condition.type: an optional DNS subdomain and '/', then alphanumerics,
// '-', '_' and '.', starting and ending alphanumeric.
bool IsConditionType(std::string_view s) {
  if (s.empty() || s.size() > kMaxType) return false;
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    if (!IsDnsSubdomain(s.substr(0, slash))) return false;
    s = s.substr(slash + 1);
  }
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// metav1's pattern of Condition.reason: a letter, then letters, digits, '_', ',' and ':', not
// ending in ',' or ':' (CamelCase by convention).
bool IsConditionReason(std::string_view s) {
  if (s.empty() || s.size() > kMaxReason) return false;
  if (!IsLetter(s.front()) || s.back() == ',' || s.back() == ':') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '_' || c == ',' || c == ':'; });
}

// An optional RFC 3339 time field; "" when absent.
std::string DecodeTime(ObjectReader& r, std::string_view key, bool required) {
  std::string t = required ? r.RequiredString(key) : r.String(key).value_or("");
  if (!t.empty()) ValidateTimestamp(t, r.FieldPath(key), r.errors());
  return t;
}

// The metav1-only rules: patterns of type and reason, the required fields, message length.
void DecodeMetaV1Fields(ObjectReader& r, Condition* c) {
  if (!c->type.empty() && !IsConditionType(c->type)) {
    r.Error("type", Quote(c->type) +
                        " is not a condition type: use an optional DNS prefix and '/', then at "
                        "most 316 alphanumerics, '-', '_' or '.', starting and ending "
                        "alphanumeric");
  }
  c->observed_generation = r.Int("observedGeneration", 0, INT64_MAX).value_or(0);
  c->last_transition_time = DecodeTime(r, "lastTransitionTime", /*required=*/true);
  c->reason = r.RequiredString("reason");
  if (!c->reason.empty() && !IsConditionReason(c->reason)) {
    r.Error("reason", Quote(c->reason) +
                          " is not a condition reason: use a letter, then letters, digits, '_', "
                          "',' or ':' (at most 1024, not ending in ',' or ':')");
  }
  if (!r.Has("message")) r.Error("message", "Required value (may be \"\")");
  c->message = r.String("message").value_or("");
  if (c->message.size() > kMaxMessage) {
    r.Error("message",
            "is " + std::to_string(c->message.size()) + " bytes long: at most 32768 are allowed");
  }
}

Condition DecodeCondition(ObjectReader& r, ConditionSchema schema) {
  Condition c;
  c.type = r.RequiredString("type");
  c.status = DecodeEnum<ConditionStatus>(r, "status", kConditionStatusNames, "condition status",
                                         /*required=*/true)
                 .value_or(ConditionStatus::kUnknown);
  if (schema == ConditionSchema::kMetaV1) {
    DecodeMetaV1Fields(r, &c);
    return c;
  }
  c.reason = r.String("reason").value_or("");
  c.message = r.String("message").value_or("");
  c.last_heartbeat_time = DecodeTime(r, "lastHeartbeatTime", /*required=*/false);
  c.last_transition_time = DecodeTime(r, "lastTransitionTime", /*required=*/false);
  return c;
}

}  // namespace

std::vector<Condition> DecodeConditions(ObjectReader& r, std::string_view key,
                                        ConditionSchema schema) {
  std::vector<Condition> out;
  r.List(key, [&](ObjectReader& item, size_t) {
    Condition c = DecodeCondition(item, schema);
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const Condition& o) { return o.type == c.type; });
    if (seen && !c.type.empty()) {
      item.Error("type", "Duplicate value: " + Quote(c.type) + " (one condition per type)");
    }
    out.push_back(std::move(c));
  });
  return out;
}

doc::Value EncodeConditions(std::span<const Condition> conditions, ConditionSchema schema) {
  bool meta = schema == ConditionSchema::kMetaV1;
  doc::Value list = doc::Value::EmptyList();
  for (const Condition& c : conditions) {
    doc::Value v = doc::Value::EmptyMap();
    v.Set("type", c.type);
    v.Set("status", kConditionStatusNames[static_cast<size_t>(c.status)]);
    if (c.observed_generation != 0) v.Set("observedGeneration", c.observed_generation);
    if (!c.last_heartbeat_time.empty()) v.Set("lastHeartbeatTime", c.last_heartbeat_time);
    if (meta || !c.last_transition_time.empty()) {
      v.Set("lastTransitionTime", c.last_transition_time);
    }
    if (meta || !c.reason.empty()) v.Set("reason", c.reason);
    if (meta || !c.message.empty()) v.Set("message", c.message);
    list.Append(std::move(v));
  }
  return list;
}

ConditionStatus ConditionStatusOf(std::span<const Condition> conditions, std::string_view type) {
  for (const Condition& c : conditions) {
    if (c.type == type) return c.status;
  }
  return ConditionStatus::kUnknown;
}

}  // namespace egret::model
