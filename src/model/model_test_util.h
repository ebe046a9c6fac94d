// Helpers shared by the model tests (header-only: the folder's *.cc files build the library).
// Documents come from YAML; rules are checked either table-driven (a valid base object, one
// mutation, the expected field path and a key part of the reason) or one document at a time.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/field_errors.h"
#include "model/kinds.h"

namespace egret::model {

// The first document of `text` (a null value, and a test failure, when there is none).
inline doc::Value Yaml(std::string_view text) {
  StatusOr<std::vector<doc::Value>> docs = doc::ParseYaml(text);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString() << "\n" << text;
  return docs.ok() && !docs->empty() ? docs->front() : doc::Value();
}

// Sets the field at `path` ("spec.containers[0].ports[0].foo") to the YAML `value`, or erases it
// when `value` is null. Intermediate maps are created; list indexes must exist.
inline void Mutate(doc::Value* root, std::string_view path, const char* value) {
  std::vector<std::string_view> parts = Split(path, '.');
  doc::Value* cur = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    size_t br = part.find('[');
    std::string key(part.substr(0, br));
    if (i + 1 == parts.size() && br == std::string_view::npos) {
      if (value) {
        cur->Set(key, Yaml(value));
      } else {
        cur->Erase(key);
      }
      return;
    }
    doc::Value* next = cur->Find(key);
    cur = next ? next : &cur->Set(key, doc::Value::EmptyMap());
    while (br != std::string_view::npos) {
      size_t close = part.find(']', br);
      size_t idx = static_cast<size_t>(*ParseInt(part.substr(br + 1, close - br - 1)));
      cur = &cur->as_list().at(idx);
      br = part.find('[', close);
    }
  }
}

using Canonicalize = StatusOr<doc::Value> (*)(const doc::Value&);

struct RuleCase {
  const char* path;        // field to change
  const char* value;       // its new YAML value; nullptr erases it
  const char* error_path;  // "" when the result is valid
  const char* reason;      // key part of the reason
};

// Applies each case to a fresh copy of `base`; an invalid case must report its reason on the
// line of its error path.
inline void RunCases(std::string_view base, Canonicalize fn, std::span<const RuleCase> cases) {
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(std::string(c.path) + " = " + (c.value ? c.value : "<erased>"));
    doc::Value v = Yaml(base);
    Mutate(&v, c.path, c.value);
    StatusOr<doc::Value> out = fn(v);
    if (std::string_view(c.error_path).empty()) {
      EXPECT_TRUE(out.ok()) << out.status().message();
      continue;
    }
    ASSERT_FALSE(out.ok()) << doc::ToYaml(*out);
    std::string want = std::string(": ") + c.error_path + ": ";
    bool found = false;
    for (std::string_view line : Split(out.status().message(), '\n')) {
      if (line.find(want) == std::string_view::npos) continue;
      found = true;
      EXPECT_THAT(std::string(line), ::testing::HasSubstr(c.reason));
    }
    EXPECT_TRUE(found) << "no error at " << c.error_path << " in:\n" << out.status().message();
  }
}

// "  path: reason\n" per error, for failure messages.
inline std::string Describe(const FieldErrors& errs) {
  std::string out;
  for (const FieldError& e : errs.errors()) out += "  " + e.path + ": " + e.reason + "\n";
  return out.empty() ? "  (no errors)\n" : out;
}

// Exactly one error, at `path`, whose reason contains `reason`.
inline ::testing::AssertionResult OnlyError(const FieldErrors& errs, std::string_view path,
                                            std::string_view reason) {
  if (errs.errors().size() == 1 && errs.errors()[0].path == path &&
      errs.errors()[0].reason.find(reason) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "want only `" << path << ": ..." << reason << "...`, got:\n"
         << Describe(errs);
}

// Decodes `text` through the kind registry. The message must be exactly one line that starts
// with `prefix` (object, field path) and contains `reason`.
inline void ExpectOnlyError(const std::string& text, std::string_view prefix,
                            std::string_view reason) {
  StatusOr<Object> r = DecodeObject(Yaml(text));
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  const std::string& m = r.status().message();
  EXPECT_EQ(m.find('\n'), std::string::npos) << "more than one error:\n" << m;
  EXPECT_TRUE(StartsWith(m, prefix)) << m;
  EXPECT_NE(m.find(reason), std::string::npos) << m;
}

inline void ExpectOk(const std::string& text) {
  StatusOr<Object> r = DecodeObject(Yaml(text));
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << text;
}

template <typename T>
using DecodeFn = T (*)(const doc::Value&, FieldErrors*);
template <typename T>
using EncodeFn = doc::Value (*)(const T&);

// decode → encode → decode gives equal values, and the canonical YAML is a fixed point.
// Returns the canonical document for further checks.
template <typename T>
doc::Value ExpectRoundTrip(std::string_view yaml, DecodeFn<T> decode, EncodeFn<T> encode) {
  FieldErrors errs;
  T first = decode(Yaml(yaml), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  doc::Value canonical = encode(first);
  FieldErrors again;
  T second = decode(canonical, &again);
  EXPECT_TRUE(again.empty()) << Describe(again);
  EXPECT_TRUE(first == second) << doc::ToYaml(canonical);
  EXPECT_EQ(doc::ToYaml(encode(second)), doc::ToYaml(canonical));
  return canonical;
}

template <typename T>
T DecodeOk(std::string_view yaml, DecodeFn<T> decode) {
  FieldErrors errs;
  T out = decode(Yaml(yaml), &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  return out;
}

// "[item, item, ...]" with n copies of item.
inline std::string Repeat(std::string_view item, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(item);
  return out + "]";
}

}  // namespace egret::model
