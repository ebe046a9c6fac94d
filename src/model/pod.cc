// STUB: replaced by the kind's real module.
#include "model/kinds_all.h"

namespace egret::model {
StatusOr<doc::Value> CanonicalizePod(const doc::Value&) { return InvalidError("Pod is not implemented yet"); }
}  // namespace egret::model
