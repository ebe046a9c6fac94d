// The document side of the sqlite store: how an incoming JSON document is normalised before it
// is stored (status and store-managed metadata removed, metadata checked against the key) and
// how a stored row is rendered back into the JSON the port returns. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "doc/value.h"
#include "ports/datastore.h"

namespace egret::adapters::sqlite {

// `Kind "ns/name"` or `Kind "name"`: how every message of the store names an object.
std::string ObjectRef(const ports::ObjectKey& key);

// kInvalid unless the key has a kind and a name.
Status CheckKey(const ports::ObjectKey& key);

// Metadata the store owns; whatever a caller puts in these fields is ignored.
struct ManagedMeta {
  std::string uid;
  int64_t resource_version = 0;
  int64_t generation = 0;
  std::string creation_timestamp;
};

// Parses `json` as the document for `key` and returns what the store keeps as the body:
// `status` and the managed metadata fields removed, metadata.name and metadata.namespace filled
// from the key when absent. kInvalid (naming the object and the field) when the text is
// not a JSON object or when kind, metadata.name or metadata.namespace contradict the key.
StatusOr<doc::Value> PrepareBody(const ports::ObjectKey& key, std::string_view json);

// Parses a status document: it must be a JSON object.
StatusOr<doc::Value> PrepareStatus(const ports::ObjectKey& key, std::string_view json);

// Equality as JSON: map member order does not matter, list order does.
bool SameJson(const doc::Value& a, const doc::Value& b);
// Equality of everything but metadata: what decides whether generation moves.
bool SameSpec(const doc::Value& a, const doc::Value& b);

// The document the port returns: the body with the managed metadata placed after
// name/namespace (the order the model's encoders use) and `status` appended when present
// (`status_json` empty = none). kInternal when the stored text does not parse (a damaged row).
StatusOr<std::string> RenderObject(const ports::ObjectKey& key, std::string_view body_json,
                                   const ManagedMeta& meta, std::string_view status_json);

// A random (version 4) UUID in its 36-character text form.
std::string NewUid();
// RFC 3339 UTC with second precision, as Kubernetes prints timestamps: "2024-05-01T10:00:00Z".
std::string FormatRfc3339(int64_t unix_ms);

}  // namespace egret::adapters::sqlite
