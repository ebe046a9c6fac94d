// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeService(const doc::Value&) { return InvalidError("Service is not implemented yet"); }
}  // namespace egret::model
