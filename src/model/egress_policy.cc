#include "model/egress_policy.h"

#include "common/strings.h"
#include "model/egress_gateway.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

constexpr std::string_view kSelectSomething =
    "set podSelector, podSubnet or both (podSelector: {} selects every pod)";

// Decodes the CIDR list `key`. *written counts the entries the user wrote, valid or not, so
// that "nothing selected" is not reported on top of a bad entry.
std::vector<Cidr> DecodeCidrList(ObjectReader& r, std::string_view key, size_t* written) {
  std::vector<Cidr> out;
  *written = 0;
  const doc::Value* list = r.Raw(key);
  if (!list) return out;
  if (!list->is_list()) {
    r.Error(key, TypeMismatch("a list", *list));
    *written = 1;
    return out;
  }
  *written = list->as_list().size();
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    const doc::Value& item = list->as_list()[i];
    std::string path = Index(r.FieldPath(key), i);
    if (!item.is_string()) {
      r.errors()->Add(path, TypeMismatch("a string", item));
      continue;
    }
    std::string why;
    std::optional<Cidr> c = Cidr::Parse(item.as_string(), &why);
    if (!c) {
      r.errors()->Add(path, why);
      continue;
    }
    out.push_back(*c);
  }
  return out;
}

EgressIpSpec DecodeEgressIp(ObjectReader& e) {
  EgressIpSpec s;
  s.ipv4 = DecodeAddressOfFamily(e, "ipv4", Family::kV4);
  s.ipv6 = DecodeAddressOfFamily(e, "ipv6", Family::kV6);
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
  bool selector_written = a.Raw("podSelector") != nullptr;
  t.pod_selector = DecodeSelectorField(a, "podSelector");
  size_t subnets_written = 0;
  t.pod_subnet = DecodeCidrList(a, "podSubnet", &subnets_written);
  if (cluster_scoped) {
    t.namespace_selector = DecodeSelectorField(a, "namespaceSelector");
  } else if (a.Raw("namespaceSelector")) {
    a.Error("namespaceSelector",
            "unknown field: an EgressPolicy applies to its own namespace only; use an "
            "EgressClusterPolicy to select namespaces");
  }
  if (!selector_written && subnets_written == 0) {
    a.Error("", "Required value: " + std::string(kSelectSomething));
  }
  return t;
}

EgressPolicySpec DecodePolicySpec(ObjectReader& s, bool cluster_scoped) {
  EgressPolicySpec spec;
  spec.egress_gateway_name = s.String("egressGatewayName").value_or("");
  if (!spec.egress_gateway_name.empty()) {
    ValidateDnsSubdomain(spec.egress_gateway_name, s.FieldPath("egressGatewayName"), s.errors());
  }
  s.Object("egressIP", [&](ObjectReader& e) { spec.egress_ip = DecodeEgressIp(e); });
  RequiredObject(s, "appliedTo", kSelectSomething,
                 [&](ObjectReader& a) { spec.applied_to = DecodeAppliedTo(a, cluster_scoped); });
  size_t ignored = 0;
  spec.dest_subnet = DecodeCidrList(s, "destSubnet", &ignored);
  spec.priority = static_cast<int>(s.Int("priority", 0, 1000).value_or(0));
  return spec;
}

EgressPolicyStatus DecodePolicyStatus(ObjectReader& st) {
  EgressPolicyStatus s;
  st.Object("eip", [&](ObjectReader& e) {
    s.eip_ipv4 = DecodeAddressOfFamily(e, "ipv4", Family::kV4);
    s.eip_ipv6 = DecodeAddressOfFamily(e, "ipv6", Family::kV6);
  });
  s.node = st.String("node").value_or("");
  if (!s.node.empty()) ValidateDnsSubdomain(s.node, st.FieldPath("node"), st.errors());
  return s;
}

// Both kinds have the same shape; only the scope (and with it namespaceSelector) differs.
template <typename T>
T DecodePolicyKind(const doc::Value& v, FieldErrors* errs, bool cluster_scoped) {
  T p;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  p.metadata = DecodeMeta(r, /*namespaced=*/!cluster_scoped);
  RequiredObject(r, "spec", "spec.appliedTo says which pods the policy steers",
                 [&](ObjectReader& s) { p.spec = DecodePolicySpec(s, cluster_scoped); });
  r.Object("status", [&](ObjectReader& st) { p.status = DecodePolicyStatus(st); });
  return p;
}

doc::Value EncodeCidrs(const std::vector<Cidr>& cidrs) {
  doc::Value list = doc::Value::EmptyList();
  for (const Cidr& c : cidrs) list.Append(c.ToString());
  return list;
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
  if (!t.pod_subnet.empty()) at.Set("podSubnet", EncodeCidrs(t.pod_subnet));
  if (t.namespace_selector) at.Set("namespaceSelector", EncodeSelector(*t.namespace_selector));
  if (!spec.dest_subnet.empty()) v.Set("destSubnet", EncodeCidrs(spec.dest_subnet));
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
