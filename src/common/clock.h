// Wall-clock text for API timestamps.
#pragma once

#include <string>

namespace egret {

// The current UTC time as RFC 3339 with second precision: "2026-11-22T01:02:03Z".
std::string NowRfc3339();

}  // namespace egret
