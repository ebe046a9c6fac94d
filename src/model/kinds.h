// The kind registry: every object kind Egret accepts, how the CLI names it, and how one
// document of that kind is strictly decoded, validated on its own and brought to canonical form.
// Cross-object rules (pool overlaps, immutable fields) live in src/core/admission.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "doc/value.h"
#include "model/meta.h"

namespace egret::model {

struct KindInfo {
  std::string_view kind;         // "EgressGateway"
  std::string_view api_version;  // "egret.io/v1"
  std::string_view plural;       // "egressgateways"
  std::vector<std::string_view> short_names;  // {"egw"}
  bool namespaced = false;
  // Strict decode + single-object validation; returns the canonical document (apiVersion, kind,
  // metadata, spec, status in that order, defaults filled in) or an Invalid status whose lines
  // each name the object, the field path and the reason.
  StatusOr<doc::Value> (*canonicalize)(const doc::Value& v) = nullptr;
};

std::span<const KindInfo> AllKinds();
// By kind name, plural, singular (lower-case kind) or short name, case-insensitively.
const KindInfo* FindKind(std::string_view name);
const KindInfo* FindKindExact(std::string_view api_version, std::string_view kind);

// A decoded, validated object in canonical form.
struct Object {
  const KindInfo* kind = nullptr;
  ObjectMeta meta;
  doc::Value doc;

  std::string Ref() const;  // `EgressGateway "default"`
};

// Decodes one document: finds its kind from apiVersion + kind, canonicalizes it.
// `default_namespace` fills metadata.namespace of namespaced kinds when absent.
StatusOr<Object> DecodeObject(const doc::Value& v, std::string_view default_namespace = "");

// Decodes every document of a YAML/JSON text (multi-document, `kind: List` expanded). Every
// object is decoded before the answer: the status lists the errors of all bad objects.
StatusOr<std::vector<Object>> DecodeObjects(std::string_view text,
                                            std::string_view default_namespace = "");

// Helper for kinds: builds the canonical envelope around spec/status documents.
doc::Value Envelope(const KindInfo& kind, const ObjectMeta& meta, doc::Value spec,
                    doc::Value status);

}  // namespace egret::model
