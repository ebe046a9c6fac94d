// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizeEgressGateway(const doc::Value&) { return InvalidError("EgressGateway is not implemented yet"); }
}  // namespace egret::model
