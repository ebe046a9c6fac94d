// Base64 with the standard alphabet and padding (RFC 4648 §4), for the WebSocket handshake.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace egret::lab {

// The padded encoding of `bytes`.
std::string Base64Encode(std::string_view bytes);

// Strict decoding: the length is a multiple of 4, only alphabet characters, '=' only as one or
// two final padding characters, and the unused bits of the last character zero (so every byte
// string has exactly one accepted encoding). nullopt otherwise; no whitespace is skipped.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace egret::lab
