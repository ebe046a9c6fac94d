// The textual label selector of `-l` / `labelSelector`, as kubectl writes it:
//   app=web,tier!=db,env in (prod,staging),owner,!legacy
#pragma once

#include <string_view>

#include "common/status.h"
#include "model/meta.h"

namespace egret::model {

StatusOr<LabelSelector> ParseSelectorText(std::string_view text);

}  // namespace egret::model
