// Wall-clock text for API timestamps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace egret {

// The current UTC time as RFC 3339 with second precision: "2026-11-22T01:02:03Z".
std::string NowRfc3339();
// The same for a given time (seconds since the epoch).
std::string Rfc3339(int64_t unix_seconds);
// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; nullopt when malformed.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// The current time in seconds since the epoch.
int64_t NowUnix();

}  // namespace egret
