// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeEgressPolicy(const doc::Value&) { return InvalidError("EgressPolicy is not implemented yet"); }
StatusOr<doc::Value> CanonicalizeEgressClusterPolicy(const doc::Value&) { return InvalidError("EgressClusterPolicy is not implemented yet"); }
}  // namespace egret::model
