// Shared plumbing for kind modules: the envelope fields every object has, and the one template
// that turns a kind's Decode/Encode pair into the registry's canonicalize function.
#pragma once

#include "common/status.h"
#include "doc/value.h"
#include "model/field_errors.h"
#include "model/kinds.h"
#include "model/reader.h"

namespace egret::model {

// Consumes apiVersion and kind (the registry has already matched them).
void SkipTypeMeta(ObjectReader& r);

// Decodes v with `decode` (which collects FieldErrors); fails with all of them named by kind
// and object, or returns the typed value.
template <typename T>
StatusOr<T> DecodeTyped(const doc::Value& v, std::string_view kind,
                        T (*decode)(const doc::Value&, FieldErrors*)) {
  FieldErrors errs;
  T out = decode(v, &errs);
  if (!errs.empty()) return errs.ToStatus(kind, out.metadata.namespace_, out.metadata.name);
  return out;
}

template <typename T>
StatusOr<doc::Value> CanonicalizeWith(const doc::Value& v, std::string_view kind,
                                      T (*decode)(const doc::Value&, FieldErrors*),
                                      doc::Value (*encode)(const T&)) {
  StatusOr<T> typed = DecodeTyped(v, kind, decode);
  if (!typed.ok()) return typed.status();
  return encode(*typed);
}

}  // namespace egret::model
