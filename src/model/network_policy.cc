// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeNetworkPolicy(const doc::Value&) { return InvalidError("NetworkPolicy is not implemented yet"); }
}  // namespace egret::model
