// core/v1 Namespace. Egret reads only its metadata (labels select namespaces) and its phase;
// a namespace may also name its default egress gateway with a label (see egress_policy.h).
#pragma once

#include <string>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/meta.h"

namespace egret::model {

struct Namespace {
  ObjectMeta metadata;
  std::vector<std::string> finalizers;  // spec.finalizers
  std::string phase;                    // status.phase: Active | Terminating
  friend bool operator==(const Namespace&, const Namespace&) = default;
};

Namespace DecodeNamespace(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeNamespace(const Namespace& ns);

}  // namespace egret::model
