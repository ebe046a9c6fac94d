#include "model/namespace.h"

#include "common/strings.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {

Namespace DecodeNamespace(const doc::Value& v, FieldErrors* errs) {
  Namespace ns;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  ns.metadata = DecodeMeta(r, /*namespaced=*/false);
  // A namespace's name is a DNS label, stricter than other objects' names.
  if (!ns.metadata.name.empty() && ns.metadata.name.size() <= 253 &&
      ns.metadata.name.find('.') != std::string::npos) {
    ValidateDnsLabel(ns.metadata.name, "metadata.name", errs);
  }
  r.Object("spec", [&](ObjectReader& spec) { ns.finalizers = spec.StringList("finalizers"); });
  r.Object("status", [&](ObjectReader& st) {
    ns.phase = st.String("phase").value_or("");
    if (!ns.phase.empty() && ns.phase != "Active" && ns.phase != "Terminating") {
      st.Error("phase", Quote(ns.phase) + " is not a phase: use Active or Terminating");
    }
  });
  return ns;
}

doc::Value EncodeNamespace(const Namespace& ns) {
  doc::Value spec;
  if (!ns.finalizers.empty()) spec.Set("finalizers", StringListValue(ns.finalizers));
  doc::Value status;
  if (!ns.phase.empty()) status.Set("phase", ns.phase);
  return Envelope(*FindKind("Namespace"), ns.metadata, std::move(spec), std::move(status));
}

StatusOr<doc::Value> CanonicalizeNamespace(const doc::Value& v) {
  return CanonicalizeWith<Namespace>(v, "Namespace", &DecodeNamespace, &EncodeNamespace);
}

}  // namespace egret::model
