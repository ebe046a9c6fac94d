// YAML decoding (libyaml events → Value) and a block-style encoder. Plain scalars resolve by
// the YAML 1.2 core schema (null, true/false, integers, floats); quoted scalars are strings.
// Decoding is hardened for untrusted input: depth and alias expansion are bounded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "doc/value.h"

namespace egret::doc {

// Every document of a multi-document stream; empty documents are dropped.
StatusOr<std::vector<Value>> ParseYaml(std::string_view text);

// Block-style YAML for one document (no leading "---").
std::string ToYaml(const Value& v);

// Detects JSON (first non-blank character '{' or '[') versus YAML and parses either.
StatusOr<std::vector<Value>> ParseDocuments(std::string_view text);

}  // namespace egret::doc
