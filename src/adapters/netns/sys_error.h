// errno → Status for the namespace adapter, with codes that say what a caller can do.
// Internal to src/adapters/netns.
#pragma once

#include <string_view>

#include "common/status.h"

namespace egret::netns {

// "<context>: <strerror>". ENOENT → NotFound, EEXIST → AlreadyExists, EPERM/EACCES →
// Unauthorized, EINVAL → Invalid, EBUSY → FailedPrecondition, anything else → Internal.
Status SystemError(std::string_view context, int err);

}  // namespace egret::netns
