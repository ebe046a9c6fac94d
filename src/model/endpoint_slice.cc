// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeEndpointSlice(const doc::Value&) { return InvalidError("EndpointSlice is not implemented yet"); }
}  // namespace egret::model
