#include "model/egress_policy.h"

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

constexpr std::string_view kSelectSomething =
    "set podSelector, podSubnet or both (podSelector: {} selects every pod)";

// Decodes the CIDR list `key`; bad entries are reported and left out.
std::vector<Cidr> DecodeCidrList(ObjectReader& r, std::string_view key) {
  std::vector<Cidr> out;
  r.ForEachString(key, [&](size_t i, const std::string& text) {
    if (std::optional<Cidr> c = ParseCidrField(text, Index(r.FieldPath(key), i), r.errors())) {
      out.push_back(*c);
    }
  });
  return out;
}

EgressIpSpec DecodeEgressIp(ObjectReader& e) {
  EgressIpSpec s;
  s.ipv4 = DecodeIpField(e, "ipv4", Family::kV4);
  s.ipv6 = DecodeIpField(e, "ipv6", Family::kV6);
  s.use_node_ip = e.Bool("useNodeIP").value_or(false);
  if (s.use_node_ip && s.explicit_eip()) {
    e.Error("useNodeIP",
            "must be false when ipv4 or ipv6 is set: SNAT goes either to the gateway node's own "
            "address or to an explicit EIP; remove one of them");
  }
  std::optional<std::string> alloc = e.String("allocatorPolicy");
  if (alloc && *alloc == "rr") {
    s.allocator_policy = AllocatorPolicy::kRoundRobin;
  } else if (alloc && !alloc->empty() && *alloc != "default") {
    e.Error("allocatorPolicy", Quote(*alloc) + " is not an allocator policy: use default or rr");
  }
  return s;
}

AppliedTo DecodeAppliedTo(ObjectReader& a, bool cluster_scoped) {
  AppliedTo t;
  // What the user wrote counts, valid or not: "nothing selected" on top of a bad entry (or a
  // podSubnet that is not a list) would only restate that error.
  bool selects = a.Has("podSelector") || a.ListSize("podSubnet") > 0;
  t.pod_selector = DecodeSelectorField(a, "podSelector");
  t.pod_subnet = DecodeCidrList(a, "podSubnet");
  selects = selects || a.errors()->HasErrorAt(a.FieldPath("podSubnet"));
  if (cluster_scoped) {
    t.namespace_selector = DecodeSelectorField(a, "namespaceSelector");
  } else if (a.Raw("namespaceSelector")) {
    a.Error("namespaceSelector",
            "unknown field: an EgressPolicy applies to its own namespace only; use an "
            "EgressClusterPolicy to select namespaces");
  }
  if (!selects) a.Error("", "Required value: " + std::string(kSelectSomething));
  return t;
}

EgressPolicySpec DecodePolicySpec(ObjectReader& s, bool cluster_scoped) {
  EgressPolicySpec spec;
  spec.egress_gateway_name = s.String("egressGatewayName").value_or("");
  if (!spec.egress_gateway_name.empty()) {
    ValidateDnsSubdomain(spec.egress_gateway_name, s.FieldPath("egressGatewayName"), s.errors());
  }
  s.Object("egressIP", [&](ObjectReader& e) { spec.egress_ip = DecodeEgressIp(e); });
  s.RequiredObject("appliedTo", kSelectSomething,
                   [&](ObjectReader& a) { spec.applied_to = DecodeAppliedTo(a, cluster_scoped); });
  spec.dest_subnet = DecodeCidrList(s, "destSubnet");
  spec.priority = static_cast<int>(s.Int("priority", 0, 1000).value_or(0));
  return spec;
}

EgressPolicyStatus DecodePolicyStatus(ObjectReader& st) {
  EgressPolicyStatus s;
  st.Object("eip", [&](ObjectReader& e) {
    s.eip_ipv4 = DecodeIpField(e, "ipv4", Family::kV4);
    s.eip_ipv6 = DecodeIpField(e, "ipv6", Family::kV6);
  });
  s.node = st.String("node").value_or("");
  if (!s.node.empty()) ValidateDnsSubdomain(s.node, st.FieldPath("node"), st.errors());
  s.conditions = DecodeConditions(st, "conditions", ConditionSchema::kMetaV1);
  return s;
}

// Both kinds have the same shape; only the scope (and with it namespaceSelector) differs.
template <typename T>
T DecodePolicyKind(const doc::Value& v, FieldErrors* errs, bool cluster_scoped) {
  T p;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  p.metadata = DecodeMeta(r, /*namespaced=*/!cluster_scoped);
  r.RequiredObject("spec", "spec.appliedTo says which pods the policy steers",
                   [&](ObjectReader& s) { p.spec = DecodePolicySpec(s, cluster_scoped); });
  r.Object("status", [&](ObjectReader& st) { p.status = DecodePolicyStatus(st); });
  return p;
}

doc::Value EncodePolicySpec(const EgressPolicySpec& spec) {
  doc::Value v = doc::Value::EmptyMap();
  if (!spec.egress_gateway_name.empty()) v.Set("egressGatewayName", spec.egress_gateway_name);
  doc::Value& eip = v.Set("egressIP", doc::Value::EmptyMap());
  if (spec.egress_ip.ipv4) eip.Set("ipv4", spec.egress_ip.ipv4->ToString());
  if (spec.egress_ip.ipv6) eip.Set("ipv6", spec.egress_ip.ipv6->ToString());
  eip.Set("useNodeIP", spec.egress_ip.use_node_ip);
  eip.Set("allocatorPolicy", AllocatorPolicyName(spec.egress_ip.allocator_policy));
  doc::Value& at = v.Set("appliedTo", doc::Value::EmptyMap());
  const AppliedTo& t = spec.applied_to;
  if (t.pod_selector) at.Set("podSelector", EncodeSelector(*t.pod_selector));
  if (!t.pod_subnet.empty()) at.Set("podSubnet", TextListValue(t.pod_subnet));
  if (t.namespace_selector) at.Set("namespaceSelector", EncodeSelector(*t.namespace_selector));
  if (!spec.dest_subnet.empty()) v.Set("destSubnet", TextListValue(spec.dest_subnet));
  v.Set("priority", spec.priority);
  return v;
}

doc::Value EncodePolicyStatus(const EgressPolicyStatus& s) {
  doc::Value v;
  if (s.eip_ipv4 || s.eip_ipv6) {
    doc::Value& eip = v.Set("eip", doc::Value::EmptyMap());
    if (s.eip_ipv4) eip.Set("ipv4", s.eip_ipv4->ToString());
    if (s.eip_ipv6) eip.Set("ipv6", s.eip_ipv6->ToString());
  }
  if (!s.node.empty()) v.Set("node", s.node);
  if (!s.conditions.empty()) {
    v.Set("conditions", EncodeConditions(s.conditions, ConditionSchema::kMetaV1));
  }
  return v;
}

}  // namespace

std::string_view AllocatorPolicyName(AllocatorPolicy p) {
  return p == AllocatorPolicy::kRoundRobin ? "rr" : "default";
}

EgressPolicy DecodeEgressPolicy(const doc::Value& v, FieldErrors* errs) {
  return DecodePolicyKind<EgressPolicy>(v, errs, /*cluster_scoped=*/false);
}

doc::Value EncodeEgressPolicy(const EgressPolicy& p) {
  return Envelope(*FindKind("EgressPolicy"), p.metadata, EncodePolicySpec(p.spec),
                  EncodePolicyStatus(p.status));
}

EgressClusterPolicy DecodeEgressClusterPolicy(const doc::Value& v, FieldErrors* errs) {
  return DecodePolicyKind<EgressClusterPolicy>(v, errs, /*cluster_scoped=*/true);
}

doc::Value EncodeEgressClusterPolicy(const EgressClusterPolicy& p) {
  return Envelope(*FindKind("EgressClusterPolicy"), p.metadata, EncodePolicySpec(p.spec),
                  EncodePolicyStatus(p.status));
}

StatusOr<doc::Value> CanonicalizeEgressPolicy(const doc::Value& v) {
  return CanonicalizeWith<EgressPolicy>(v, "EgressPolicy", &DecodeEgressPolicy,
                                        &EncodeEgressPolicy);
}

StatusOr<doc::Value> CanonicalizeEgressClusterPolicy(const doc::Value& v) {
  return CanonicalizeWith<EgressClusterPolicy>(v, "EgressClusterPolicy", &DecodeEgressClusterPolicy,
                                               &EncodeEgressClusterPolicy);
}

}  // namespace egret::model
