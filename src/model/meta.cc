#include "model/meta.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace egret::model {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Label name part: alphanumerics (either case), '-', '_', '.', alphanumeric at both ends.
bool IsQualifiedNamePart(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool IsDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (std::string_view part : Split(s, '.')) {
    if (!IsDnsLabel(part)) return false;
  }
  return true;
}

bool IsDns1035Label(std::string_view s) {
  return IsDnsLabel(s) && s.front() >= 'a' && s.front() <= 'z';
}

bool ValidateDnsSubdomain(std::string_view value, const std::string& path, FieldErrors* errs) {
  if (IsDnsSubdomain(value)) return true;
  errs->Add(path, Quote(value) +
                      " is not a valid name: use lower-case letters, digits, '-' and '.', "
                      "starting and ending with a letter or digit, at most 253 characters");
  return false;
}

bool ValidateDnsLabel(std::string_view value, const std::string& path, FieldErrors* errs) {
  if (IsDnsLabel(value)) return true;
  errs->Add(path, Quote(value) +
                      " is not a valid name: use lower-case letters, digits and '-', starting "
                      "and ending with a letter or digit, at most 63 characters");
  return false;
}

bool ValidateLabelKey(std::string_view key, const std::string& path, FieldErrors* errs) {
  std::string_view name = key;
  size_t slash = key.find('/');
  bool ok = true;
  if (slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    ok = IsDnsSubdomain(prefix);
  }
  ok = ok && IsQualifiedNamePart(name);
  if (!ok) {
    errs->Add(path, Quote(key) +
                        " is not a valid label key: an optional DNS prefix and '/', then at most "
                        "63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
  }
  return ok;
}

bool ValidateLabelValue(std::string_view value, const std::string& path, FieldErrors* errs) {
  if (value.empty() || IsQualifiedNamePart(value)) return true;
  errs->Add(path, Quote(value) +
                      " is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', "
                      "starting and ending alphanumeric (or empty)");
  return false;
}

bool ValidateLabels(const std::map<std::string, std::string>& labels, const std::string& path,
                    FieldErrors* errs) {
  bool ok = true;
  for (const auto& [k, v] : labels) {
    ok = ValidateLabelKey(k, KeyPath(path, k), errs) && ok;
    ok = ValidateLabelValue(v, KeyPath(path, k), errs) && ok;
  }
  return ok;
}

ObjectMeta DecodeMeta(ObjectReader& r, bool namespaced) {
  ObjectMeta m;
  bool present = r.Object("metadata", [&](ObjectReader& md) {
    m.name = md.RequiredString("name");
    if (!m.name.empty()) ValidateDnsSubdomain(m.name, md.FieldPath("name"), md.errors());
    std::optional<std::string> ns = md.String("namespace");
    if (ns && !ns->empty()) {
      if (!namespaced) {
        md.Error("namespace", "not allowed: this kind is cluster-scoped");
      } else {
        ValidateDnsLabel(*ns, md.FieldPath("namespace"), md.errors());
        m.namespace_ = *ns;
      }
    }
    m.labels = md.StringMap("labels");
    ValidateLabels(m.labels, md.FieldPath("labels"), md.errors());
    m.annotations = md.StringMap("annotations");
    for (const auto& [k, v] : m.annotations) {
      ValidateLabelKey(k, KeyPath(md.FieldPath("annotations"), k), md.errors());
    }
    m.uid = md.String("uid").value_or("");
    m.resource_version = md.String("resourceVersion").value_or("");
    if (!m.resource_version.empty() && !ParseInt(m.resource_version)) {
      md.Error("resourceVersion", Quote(m.resource_version) + " is not a resource version");
    }
    m.generation = md.Int("generation", 0, INT64_MAX).value_or(0);
    m.creation_timestamp = md.String("creationTimestamp").value_or("");
  });
  if (!present) r.Error("metadata", "Required value");
  if (namespaced && m.namespace_.empty()) m.namespace_ = "default";
  return m;
}

doc::Value EncodeMeta(const ObjectMeta& m) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("name", m.name);
  if (!m.namespace_.empty()) v.Set("namespace", m.namespace_);
  if (!m.uid.empty()) v.Set("uid", m.uid);
  if (!m.resource_version.empty()) v.Set("resourceVersion", m.resource_version);
  if (m.generation) v.Set("generation", m.generation);
  if (!m.creation_timestamp.empty()) v.Set("creationTimestamp", m.creation_timestamp);
  if (!m.labels.empty()) v.Set("labels", StringMapValue(m.labels));
  if (!m.annotations.empty()) v.Set("annotations", StringMapValue(m.annotations));
  return v;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const LabelRequirement& req : match_expressions) {
    auto it = labels.find(req.key);
    bool has = it != labels.end();
    auto in_values = [&] {
      for (const std::string& val : req.values) {
        if (has && it->second == val) return true;
      }
      return false;
    };
    switch (req.op) {
      case LabelRequirement::Op::kIn:
        if (!in_values()) return false;
        break;
      case LabelRequirement::Op::kNotIn:
        if (in_values()) return false;
        break;
      case LabelRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

LabelSelector DecodeSelector(ObjectReader& r) {
  LabelSelector s;
  s.match_labels = r.StringMap("matchLabels");
  ValidateLabels(s.match_labels, r.FieldPath("matchLabels"), r.errors());
  r.List("matchExpressions", [&](ObjectReader& e, size_t) {
    LabelRequirement req;
    req.key = e.RequiredString("key");
    if (!req.key.empty()) ValidateLabelKey(req.key, e.FieldPath("key"), e.errors());
    std::string op = e.RequiredString("operator");
    req.values = e.StringList("values");
    bool needs_values = true;
    bool known = true;
    if (op == "In") {
      req.op = LabelRequirement::Op::kIn;
    } else if (op == "NotIn") {
      req.op = LabelRequirement::Op::kNotIn;
    } else if (op == "Exists") {
      req.op = LabelRequirement::Op::kExists;
      needs_values = false;
    } else if (op == "DoesNotExist") {
      req.op = LabelRequirement::Op::kDoesNotExist;
      needs_values = false;
    } else {
      known = false;
      if (!op.empty()) {
        e.Error("operator", Quote(op) +
                                " is not a valid operator: use In, NotIn, Exists or "
                                "DoesNotExist");
      }
    }
    if (known) {
      if (needs_values && req.values.empty()) {
        e.Error("values", "must be non-empty when operator is " + op);
      } else if (!needs_values && !req.values.empty()) {
        e.Error("values", "must be empty when operator is " + op);
      }
    }
    for (size_t i = 0; i < req.values.size(); ++i) {
      ValidateLabelValue(req.values[i], Index(e.FieldPath("values"), i), e.errors());
    }
    s.match_expressions.push_back(std::move(req));
  });
  return s;
}

std::optional<LabelSelector> DecodeSelectorField(ObjectReader& r, std::string_view key) {
  std::optional<LabelSelector> out;
  // Absent or null stays nullopt; `{}` is an empty (match-all) selector.
  r.Object(key, [&](ObjectReader& sr) { out = DecodeSelector(sr); });
  return out;
}

doc::Value EncodeSelector(const LabelSelector& s) {
  doc::Value v = doc::Value::EmptyMap();
  if (!s.match_labels.empty()) v.Set("matchLabels", StringMapValue(s.match_labels));
  if (!s.match_expressions.empty()) {
    doc::Value& list = v.Set("matchExpressions", doc::Value::EmptyList());
    for (const LabelRequirement& req : s.match_expressions) {
      doc::Value e = doc::Value::EmptyMap();
      e.Set("key", req.key);
      static constexpr std::string_view kOps[] = {"In", "NotIn", "Exists", "DoesNotExist"};
      e.Set("operator", kOps[static_cast<int>(req.op)]);
      if (!req.values.empty()) e.Set("values", StringListValue(req.values));
      list.Append(std::move(e));
    }
  }
  return v;
}

doc::Value StringListValue(const std::vector<std::string>& items) {
  doc::Value list = doc::Value::EmptyList();
  for (const std::string& s : items) list.Append(s);
  return list;
}

doc::Value StringMapValue(const std::map<std::string, std::string>& items) {
  doc::Value map = doc::Value::EmptyMap();
  for (const auto& [k, v] : items) map.Set(k, v);
  return map;
}

}  // namespace egret::model
