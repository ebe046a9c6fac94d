// Small string helpers shared by every module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egret {

std::vector<std::string_view> Split(std::string_view s, char sep);
std::string_view Trim(std::string_view s);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string ToLower(std::string_view s);

// Parses a whole decimal integer (optional leading '-'); nullopt on any junk or overflow.
std::optional<long long> ParseInt(std::string_view s);

// "\"text\"" with JSON escapes: used to quote user values inside error messages.
std::string Quote(std::string_view s);

}  // namespace egret
