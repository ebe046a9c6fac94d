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

  // Scalars. Absent (or null) gives nullopt; a wrong type adds an error and gives nullopt.
  std::optional<std::string> String(std::string_view key);
  // Adds "Required value" when absent or empty.
  std::string RequiredString(std::string_view key);
  std::optional<int64_t> Int(std::string_view key, int64_t min, int64_t max);
  std::optional<bool> Bool(std::string_view key);
  // Integer or string (Kubernetes IntOrString): ports by number or by name.
  struct IntOrString {
    std::optional<int64_t> number;
    std::string name;
  };
  std::optional<IntOrString> IntOrStr(std::string_view key);

  std::vector<std::string> StringList(std::string_view key);
  std::map<std::string, std::string> StringMap(std::string_view key);

  // Nested objects and lists of objects. The callback gets a reader for the child; the child's
  // unknown fields are reported when the callback returns.
  // Returns false when the field is absent (callback not called).
  bool Object(std::string_view key, const std::function<void(ObjectReader&)>& fn);
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
