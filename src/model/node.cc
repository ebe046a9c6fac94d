// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeNode(const doc::Value&) { return InvalidError("Node is not implemented yet"); }
}  // namespace egret::model
