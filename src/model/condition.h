// Status conditions (`status.conditions[]`): one type and one codec for every kind that reports
// conditions. Two upstream schemas exist and both map onto Condition:
//   - core/v1 (Node): type and status required; reason, message, lastHeartbeatTime and
//     lastTransitionTime optional; no observedGeneration.
//   - metav1.Condition (AdminNetworkPolicy, BaselineAdminNetworkPolicy): type (a qualified
//     name), status, lastTransitionTime, reason (CamelCase-like) and message (may be "") are
//     required; observedGeneration is optional; there is no lastHeartbeatTime.
// In both, a list holds at most one condition per type (upstream: a map keyed by type).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/reader.h"

namespace egret::model {

enum class ConditionStatus { kTrue, kFalse, kUnknown };
inline constexpr std::array<std::string_view, 3> kConditionStatusNames = {"True", "False",
                                                                          "Unknown"};

struct Condition {
  std::string type;  // "Ready", "NetworkUnavailable", "example.com/Degraded", ...
  ConditionStatus status = ConditionStatus::kUnknown;
  std::string reason;
  std::string message;
  std::string last_transition_time;  // RFC 3339; "" when not given (core/v1 only)
  std::string last_heartbeat_time;   // RFC 3339, optional; core/v1 only
  int64_t observed_generation = 0;   // 0: not written; metav1 only
  friend bool operator==(const Condition&, const Condition&) = default;
};

enum class ConditionSchema { kCoreV1, kMetaV1 };

// Decodes the list field `key` of r (normally "conditions") by `schema`: fields of the other
// schema are unknown fields, and a repeated type is reported at the later entry.
std::vector<Condition> DecodeConditions(ObjectReader& r, std::string_view key,
                                        ConditionSchema schema);

// The document list; fields required by `schema` are always written, optional ones when set.
// Field order: type, status, observedGeneration, lastHeartbeatTime, lastTransitionTime, reason,
// message.
doc::Value EncodeConditions(std::span<const Condition> conditions, ConditionSchema schema);

// The status of the condition `type`; Unknown when the list does not report it.
ConditionStatus ConditionStatusOf(std::span<const Condition> conditions, std::string_view type);

}  // namespace egret::model
