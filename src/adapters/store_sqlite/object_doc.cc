#include "adapters/store_sqlite/object_doc.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include "common/strings.h"
#include "doc/json.h"

namespace egret::adapters::sqlite {
namespace {

constexpr std::array<std::string_view, 4> kManagedFields = {"uid", "resourceVersion", "generation",
                                                            "creationTimestamp"};

Status ObjectError(const ports::ObjectKey& key, std::string_view path, std::string_view reason) {
  std::string msg = ObjectRef(key) + ": ";
  if (!path.empty()) {
    msg += path;
    msg += ": ";
  }
  msg += reason;
  return InvalidError(std::move(msg));
}

// Checks that the string field `field` of `map` (at `path`) equals `want`, or sets it when
// absent. `what` names the key part in the message ("name", "namespace").
Status MatchOrFill(const ports::ObjectKey& key, doc::Value& map, std::string_view field,
                   std::string_view path, const std::string& want, std::string_view what) {
  const doc::Value* have = map.Find(field);
  if (have == nullptr) {
    if (!want.empty()) map.Set(field, want);
    return Status::Ok();
  }
  if (!have->is_string()) {
    return ObjectError(key, path, "must be a string, got " + std::string(have->type_name()));
  }
  if (have->as_string() != want) {
    return ObjectError(key, path,
                       Quote(have->as_string()) + " does not match the " + std::string(what) +
                           " of the object's key " + Quote(want));
  }
  return Status::Ok();
}

// Puts name and namespace first, then `managed` (when given), then the remaining members in
// their original order: the order the model's encoders write.
doc::Value OrderMetadata(doc::Value meta, const doc::Map* managed) {
  doc::Map out;
  auto take = [&](std::string_view field) {
    if (doc::Value* v = meta.Find(field)) out.push_back({std::string(field), std::move(*v)});
    meta.Erase(field);
  };
  take("name");
  take("namespace");
  if (managed != nullptr) out.insert(out.end(), managed->begin(), managed->end());
  for (doc::Member& m : meta.as_map()) out.push_back(std::move(m));
  return doc::Value(std::move(out));
}

}  // namespace

std::string ObjectRef(const ports::ObjectKey& key) {
  std::string ref = key.kind + " ";
  if (key.namespace_.empty()) return ref + Quote(key.name);
  return ref + Quote(key.namespace_ + "/" + key.name);
}

Status CheckKey(const ports::ObjectKey& key) {
  if (key.kind.empty() || key.name.empty()) {
    return InvalidError("object key " + ObjectRef(key) + " needs a kind and a name");
  }
  return Status::Ok();
}

StatusOr<doc::Value> PrepareBody(const ports::ObjectKey& key, std::string_view json) {
  auto parsed = doc::ParseJson(json);
  if (!parsed.ok()) return ObjectError(key, "", parsed.status().message());
  doc::Value body = std::move(parsed).value();
  if (!body.is_map()) {
    return ObjectError(key, "",
                       "the document must be a JSON object, got " + std::string(body.type_name()));
  }
  if (const doc::Value* kind = body.Find("kind")) {
    if (!kind->is_string() || kind->as_string() != key.kind) {
      std::string have = kind->is_string() ? Quote(kind->as_string()) : "a non-string";
      return ObjectError(key, "kind",
                         have + " does not match the kind of the object's key " + Quote(key.kind));
    }
  }
  body.Erase("status");  // written only through PutStatus
  doc::Value* meta = body.Find("metadata");
  if (meta == nullptr) meta = &body.Set("metadata", doc::Value::EmptyMap());
  if (!meta->is_map()) {
    return ObjectError(key, "metadata",
                       "must be a JSON object, got " + std::string(meta->type_name()));
  }
  RETURN_IF_ERROR(MatchOrFill(key, *meta, "name", "metadata.name", key.name, "name"));
  RETURN_IF_ERROR(
      MatchOrFill(key, *meta, "namespace", "metadata.namespace", key.namespace_, "namespace"));
  for (std::string_view field : kManagedFields) meta->Erase(field);
  *meta = OrderMetadata(std::move(*meta), nullptr);
  return body;
}

StatusOr<doc::Value> PrepareStatus(const ports::ObjectKey& key, std::string_view json) {
  auto parsed = doc::ParseJson(json);
  if (!parsed.ok()) return ObjectError(key, "status", parsed.status().message());
  if (!parsed->is_map()) {
    return ObjectError(key, "status",
                       "must be a JSON object, got " + std::string(parsed->type_name()));
  }
  return std::move(parsed).value();
}

bool SameJson(const doc::Value& a, const doc::Value& b) {
  if (a.type() != b.type()) return false;
  if (a.is_list()) {
    const doc::List& la = a.as_list();
    const doc::List& lb = b.as_list();
    return std::equal(la.begin(), la.end(), lb.begin(), lb.end(), SameJson);
  }
  if (!a.is_map()) return a == b;
  if (a.as_map().size() != b.as_map().size()) return false;
  for (const doc::Member& m : a.as_map()) {
    const doc::Value* other = b.Find(m.key);
    if (other == nullptr || !SameJson(m.value, *other)) return false;
  }
  return true;
}

bool SameSpec(const doc::Value& a, const doc::Value& b) {
  doc::Value sa = a, sb = b;
  sa.Erase("metadata");
  sb.Erase("metadata");
  return SameJson(sa, sb);
}

StatusOr<std::string> RenderObject(const ports::ObjectKey& key, std::string_view body_json,
                                   const ManagedMeta& meta, std::string_view status_json) {
  auto body = doc::ParseJson(body_json);
  if (!body.ok() || !body->is_map()) {
    return InternalError("stored body of " + ObjectRef(key) + " is damaged");
  }
  doc::Map managed = {
      {"uid", meta.uid},
      {"resourceVersion", std::to_string(meta.resource_version)},
      {"generation", meta.generation},
      {"creationTimestamp", meta.creation_timestamp},
  };
  doc::Value* metadata = body->Find("metadata");
  if (metadata == nullptr) metadata = &body->Set("metadata", doc::Value::EmptyMap());
  *metadata = OrderMetadata(std::move(*metadata), &managed);
  if (!status_json.empty()) {
    auto status = doc::ParseJson(status_json);
    if (!status.ok()) return InternalError("stored status of " + ObjectRef(key) + " is damaged");
    body->Set("status", std::move(status).value());
  }
  return doc::ToJson(*body);
}

std::string NewUid() {
  std::array<unsigned char, 16> b{};
  sqlite3_randomness(static_cast<int>(b.size()), b.data());  // a seeded CSPRNG, thread-safe
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);   // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);   // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}

std::string FormatRfc3339(int64_t unix_ms) {
  // Floor division: a clock before 1970 still gives the second that contains it.
  int64_t secs = unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0);
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace egret::adapters::sqlite
