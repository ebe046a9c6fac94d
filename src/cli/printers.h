// How `egret get` and `egret describe` show objects: per-kind table columns (kubectl habits:
// NAME first, AGE last, -o wide adds columns) and the describe text.
#pragma once

#include <string>
#include <vector>

#include "doc/value.h"

namespace egret::cli {

struct TableOptions {
  bool wide = false;
  bool with_namespace = false;  // -A: a NAMESPACE column first
  bool with_kind = false;       // several kinds in one table: NAME becomes kind/name
  long long now_unix = 0;       // for AGE
};

// Rows for objects of one kind (all items share the kind of the first).
std::string FormatTable(const std::vector<doc::Value>& items, const TableOptions& opts);
std::string FormatDescribe(const doc::Value& obj);
// "egressgateway.egret.io/default": how kubectl names an object in messages and -o name.
std::string TypedName(const doc::Value& obj);
std::string TypedName(std::string_view kind, std::string_view api_version, std::string_view name);
// 3s, 5m, 2h, 4d from an RFC 3339 timestamp; "<unknown>" when it cannot be read.
std::string Age(const std::string& rfc3339, long long now_unix);

}  // namespace egret::cli
