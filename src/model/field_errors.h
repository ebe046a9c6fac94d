// Field-level validation errors and the one message format every object error uses:
//   EgressGateway "default": spec.ippools.ipv4[2]: "10.6.1.300" is not an IPv4 address
// Kinds collect all errors of an object before failing, so a user fixes them in one pass.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::model {

// Field paths as Kubernetes prints them: "spec.ippools.ipv4[2]", "metadata.labels[app]".
std::string Child(std::string_view parent, std::string_view field);
std::string Index(std::string_view parent, size_t i);
std::string KeyPath(std::string_view parent, std::string_view key);

struct FieldError {
  std::string path;
  std::string reason;
};

class FieldErrors {
 public:
  void Add(std::string path, std::string reason) {
    errors_.push_back({std::move(path), std::move(reason)});
  }
  bool empty() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // Whether an error was reported at exactly `path` (not below it). Decoders use it to skip a
  // follow-up error that would only restate one already reported, e.g. "must specify a peer"
  // for a list element that is not even an object.
  bool HasErrorAt(std::string_view path) const;

  // Invalid status whose message holds one line per error, each
  // `<Kind> "<ns>/<name>": <path>: <reason>` (no "ns/" for cluster-scoped objects).
  Status ToStatus(std::string_view kind, std::string_view ns, std::string_view name) const;

 private:
  std::vector<FieldError> errors_;
};

// `Kind "ns/name"` or `Kind "name"`: how messages name an object.
std::string ObjectRef(std::string_view kind, std::string_view ns, std::string_view name);

}  // namespace egret::model
