// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeAdminNetworkPolicy(const doc::Value&) { return InvalidError("AdminNetworkPolicy is not implemented yet"); }
StatusOr<doc::Value> CanonicalizeBaselineAdminNetworkPolicy(const doc::Value&) { return InvalidError("BaselineAdminNetworkPolicy is not implemented yet"); }
}  // namespace egret::model
