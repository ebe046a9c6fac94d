// ObjectMeta, label selectors and the name/label rules every kind shares (Kubernetes rules:
// DNS-1123 names, qualified label keys, 63-character label values).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/reader.h"

namespace egret::model {

struct ObjectMeta {
  std::string name;
  std::string namespace_;  // empty for cluster-scoped kinds
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  // Set by the datastore; carried through decode/encode. An apply that sets resourceVersion
  // updates only if the stored object still has that version.
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::string creation_timestamp;
  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

// Decodes `metadata` of the object `r` reads. `namespaced` says whether the kind lives in a
// namespace (the namespace defaults to "default" when absent) or is cluster-scoped (a namespace
// is an error).
ObjectMeta DecodeMeta(ObjectReader& r, bool namespaced);
doc::Value EncodeMeta(const ObjectMeta& m);

// Name rules as predicates, for callers that word their own reason.
// DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters (object names).
bool IsDnsSubdomain(std::string_view s);
// DNS-1123 label: lower-case letters, digits and '-', alphanumeric at both ends, at most 63.
bool IsDnsLabel(std::string_view s);
// DNS-1035 label: a DNS-1123 label that starts with a letter (Service names).
bool IsDns1035Label(std::string_view s);

// Rule checks; each adds errors at `path` and returns whether the value passed.
bool ValidateDnsSubdomain(std::string_view value, const std::string& path, FieldErrors* errs);
bool ValidateDnsLabel(std::string_view value, const std::string& path, FieldErrors* errs);
bool ValidateLabels(const std::map<std::string, std::string>& labels, const std::string& path,
                    FieldErrors* errs);
bool ValidateLabelKey(std::string_view key, const std::string& path, FieldErrors* errs);
bool ValidateLabelValue(std::string_view value, const std::string& path, FieldErrors* errs);

// metav1.LabelSelector. An empty selector selects everything; an absent one (in fields where
// absence has a meaning) is modelled as std::optional<LabelSelector> by the caller.
struct LabelRequirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kIn;
  std::vector<std::string> values;
  friend bool operator==(const LabelRequirement&, const LabelRequirement&) = default;
};

struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelRequirement> match_expressions;

  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool Matches(const std::map<std::string, std::string>& labels) const;
  friend bool operator==(const LabelSelector&, const LabelSelector&) = default;
};

// Decodes and validates a selector object (r reads the selector itself).
LabelSelector DecodeSelector(ObjectReader& r);
doc::Value EncodeSelector(const LabelSelector& s);
// Convenience: decodes r's field `key` when present.
std::optional<LabelSelector> DecodeSelectorField(ObjectReader& r, std::string_view key);

// Document builders shared by the encoders.
doc::Value StringListValue(const std::vector<std::string>& items);
doc::Value StringMapValue(const std::map<std::string, std::string>& items);

}  // namespace egret::model
