// Strict JSON (RFC 8259) decoding and encoding of Value. Decoding is hardened for untrusted
// input: nesting depth is bounded, duplicate keys and trailing junk are errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "doc/value.h"

namespace egret::doc {

inline constexpr int kMaxDepth = 128;

// Exactly one JSON value, surrounded by optional whitespace.
StatusOr<Value> ParseJson(std::string_view text);
// Zero or more JSON values separated by whitespace (a stream, as `-o json` of several objects).
StatusOr<std::vector<Value>> ParseJsonStream(std::string_view text);

struct JsonStyle {
  bool pretty = false;  // two-space indentation, one member per line
};
std::string ToJson(const Value& v, JsonStyle style = {});

}  // namespace egret::doc
