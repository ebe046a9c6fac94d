// ObjectReader: strict, path-tracking decoding of one JSON/YAML object into typed fields.
// Wrong types, out-of-range numbers and unknown fields become FieldErrors; nothing is ignored.
//
//   ObjectReader r(value, "spec", errs);
//   spec.node_name = r.String("nodeName");
//   r.List("ports", [&](ObjectReader& item) { ... });
//   r.Finish();  // reports every field that no accessor consumed as "unknown field"
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"

namespace egret::model {

class ObjectReader {
 public:
  // `v` may be null (the field was absent): every accessor then returns its "absent" answer.
  ObjectReader(const doc::Value* v, std::string path, FieldErrors* errs);
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  const std::string& path() const { return path_; }
  FieldErrors* errors() const { return errs_; }
  bool present() const { return v_ != nullptr; }
  std::string FieldPath(std::string_view key) const { return Child(path_, key); }

  // Presence without decoding. Neither consumes the field (an accessor still must).
  // Whether `key` is present and not null; `[]`, `{}` and "" count as present.
  bool Has(std::string_view key) const;
  // The number of elements of the list field `key`, valid or not; 0 when absent or not a list.
  size_t ListSize(std::string_view key) const;

  // Scalars. Absent (or null) gives nullopt; a wrong type adds an error and gives nullopt.
  std::optional<std::string> String(std::string_view key);
  // Adds "Required value" when absent or empty (not on top of a type error).
  std::string RequiredString(std::string_view key);
  // Outside [min, max] adds "<n> is out of range <min>-<max>". Ports have their own wording:
  // use DecodePort (core_fields.h).
  std::optional<int64_t> Int(std::string_view key, int64_t min, int64_t max);
  std::optional<bool> Bool(std::string_view key);
  // Integer or string (Kubernetes IntOrString): ports by number or by name.
  struct IntOrString {
    std::optional<int64_t> number;
    std::string name;
  };
  std::optional<IntOrString> IntOrStr(std::string_view key);

  // A list of strings, index for index: an element that is not a string is reported at its own
  // path (`key[i]`) and stands as "" so that callers' `[i]` paths stay right.
  std::vector<std::string> StringList(std::string_view key);
  // Calls fn(i, text) for each string element of the list field `key`, reporting elements that
  // are not strings (and a field that is not a list). Returns false when anything was reported,
  // so that callers can skip cross-element checks that would only restate the error.
  bool ForEachString(std::string_view key,
                     const std::function<void(size_t, const std::string&)>& fn);
  std::map<std::string, std::string> StringMap(std::string_view key);

  // Nested objects and lists of objects. The callback gets a reader for the child; the child's
  // unknown fields are reported when the callback returns.
  // Returns false when the field is absent (callback not called).
  bool Object(std::string_view key, const std::function<void(ObjectReader&)>& fn);
  // Object() for a required field: when it is absent or null, adds "Required value" (with
  // ": <hint>" when a hint is given). A field of the wrong type gets only the type error.
  // Returns whether fn was called.
  bool RequiredObject(std::string_view key, std::string_view hint,
                      const std::function<void(ObjectReader&)>& fn);
  // Calls fn(child, index) for each element; returns the element count (0 when absent).
  size_t List(std::string_view key, const std::function<void(ObjectReader&, size_t)>& fn);
  // Raw access for unusual shapes; marks the field consumed.
  const doc::Value* Raw(std::string_view key);

  // Adds an error at this object's path (or a child path).
  void Error(std::string_view key, std::string reason);

  // Reports every field not consumed. Called by the destructor if not called before.
  void Finish();
  ~ObjectReader();

 private:
  // The field's value, or nullptr when absent or null; Take also marks it consumed.
  const doc::Value* Peek(std::string_view key) const;
  const doc::Value* Take(std::string_view key);

  const doc::Value* v_;
  std::string path_;
  FieldErrors* errs_;
  std::set<std::string, std::less<>> consumed_;
  bool finished_ = false;
};

// "must be a string", "must be an integer", ...: used by readers and by custom decoders.
std::string TypeMismatch(std::string_view want, const doc::Value& got);

}  // namespace egret::model
