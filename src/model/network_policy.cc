#include "model/network_policy.h"

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {

namespace {

constexpr std::array<std::string_view, 2> kPolicyTypeNames = {"Ingress", "Egress"};

// except[] entries must lie strictly inside cidr: same family, longer prefix, inside.
void CheckExcept(const Cidr& cidr, const Cidr& except, const std::string& path, FieldErrors* errs) {
  if (except.family() != cidr.family()) {
    errs->Add(path, Quote(except.ToString()) + " is " + std::string(FamilyName(except.family())) +
                        " but cidr " + Quote(cidr.ToString()) + " is " +
                        std::string(FamilyName(cidr.family())) +
                        ": except entries must be of the cidr's family");
  } else if (!cidr.Contains(except) || except.prefix_len() <= cidr.prefix_len()) {
    errs->Add(path, Quote(except.ToString()) + " must be a strict subset of cidr " +
                        Quote(cidr.ToString()) + ": give a longer prefix inside it");
  }
}

std::optional<IpBlock> DecodeIpBlock(ObjectReader& r) {
  std::string cidr_text = r.RequiredString("cidr");
  std::optional<Cidr> cidr;
  if (!cidr_text.empty()) cidr = ParseCidrField(cidr_text, r.FieldPath("cidr"), r.errors());
  IpBlock block;
  r.ForEachString("except", [&](size_t i, const std::string& text) {
    std::string path = Index(r.FieldPath("except"), i);
    std::optional<Cidr> except = ParseCidrField(text, path, r.errors());
    if (!except || !cidr) return;
    CheckExcept(*cidr, *except, path, r.errors());
    block.except.push_back(*except);
  });
  if (!cidr) return std::nullopt;
  block.cidr = *cidr;
  return block;
}

std::optional<NetworkPolicyPeer> DecodePeer(ObjectReader& r) {
  SelectorPeer sel;
  sel.pod_selector = DecodeSelectorField(r, "podSelector");
  sel.namespace_selector = DecodeSelectorField(r, "namespaceSelector");
  std::optional<IpBlock> block;
  bool has_block = r.Object("ipBlock", [&](ObjectReader& b) { block = DecodeIpBlock(b); });
  bool has_selector = sel.pod_selector || sel.namespace_selector;
  if (has_block && has_selector) {
    r.Error("",
            "may not combine ipBlock with podSelector or namespaceSelector: write them as "
            "separate peers");
    return std::nullopt;
  }
  if (has_block) {
    if (!block) return std::nullopt;
    return NetworkPolicyPeer(std::move(*block));
  }
  if (has_selector) return NetworkPolicyPeer(std::move(sel));
  if (!r.errors()->HasErrorAt(r.path())) {  // e.g. an element that is not an object
    r.Error("", "must specify a peer: set podSelector, namespaceSelector or ipBlock");
  }
  return std::nullopt;
}

// endPort extends a numeric port into the range port..endPort.
void DecodeEndPort(ObjectReader& r, NetworkPolicyPort* out) {
  std::optional<int> end = DecodePort(r, "endPort", /*required=*/false);
  if (!end) return;
  if (!r.Has("port")) {
    r.Error("endPort", "may not be set without port: port is the first port of the range");
  } else if (out->name) {
    r.Error("endPort", "may not be set when port is a name: a range needs a numeric port");
  } else if (out->number && *end < *out->number) {
    r.Error("endPort", std::to_string(*end) + " is less than port " + std::to_string(*out->number) +
                           ": endPort must be >= port");
  } else if (out->number) {
    out->end_port = static_cast<uint16_t>(*end);
  }
}

NetworkPolicyPort DecodePolicyPort(ObjectReader& r) {
  NetworkPolicyPort p;
  p.protocol = DecodeProtocol(r, "protocol");
  if (std::optional<ObjectReader::IntOrString> port = DecodePortOrName(r, "port")) {
    if (port->number) {
      p.number = static_cast<uint16_t>(*port->number);
    } else {
      p.name = port->name;
    }
  }
  DecodeEndPort(r, &p);
  return p;
}

NetworkPolicyRule DecodeRule(ObjectReader& r, std::string_view peers_key) {
  NetworkPolicyRule rule;
  r.List(peers_key, [&](ObjectReader& item, size_t) {
    if (std::optional<NetworkPolicyPeer> peer = DecodePeer(item)) rule.peers.push_back(*peer);
  });
  r.List("ports",
         [&](ObjectReader& item, size_t) { rule.ports.push_back(DecodePolicyPort(item)); });
  return rule;
}

// Returns how many entries the list had, valid or not (upstream defaults only an empty list).
size_t DecodePolicyTypes(ObjectReader& r, std::vector<PolicyType>* out) {
  r.ForEachString("policyTypes", [&](size_t i, const std::string& text) {
    std::string path = Index(r.FieldPath("policyTypes"), i);
    auto it = std::find(kPolicyTypeNames.begin(), kPolicyTypeNames.end(), text);
    if (it == kPolicyTypeNames.end()) {
      r.errors()->Add(path, Quote(text) + " is not a policy type: use Ingress or Egress");
      return;
    }
    auto type = static_cast<PolicyType>(it - kPolicyTypeNames.begin());
    if (std::find(out->begin(), out->end(), type) != out->end()) {
      r.errors()->Add(path, "Duplicate value: " + Quote(text) + " (list each policy type once)");
      return;
    }
    out->push_back(type);
  });
  return r.ListSize("policyTypes");
}

NetworkPolicySpec DecodeSpec(ObjectReader& r) {
  NetworkPolicySpec spec;
  // Upstream made podSelector optional (absent = {}); older clients always write it.
  spec.pod_selector = DecodeSelectorField(r, "podSelector").value_or(LabelSelector{});
  r.List("ingress",
         [&](ObjectReader& item, size_t) { spec.ingress.push_back(DecodeRule(item, "from")); });
  size_t egress_count = r.List(
      "egress", [&](ObjectReader& item, size_t) { spec.egress.push_back(DecodeRule(item, "to")); });
  size_t listed = DecodePolicyTypes(r, &spec.policy_types);
  // Upstream's defaulting: Ingress always, Egress when there is at least one egress rule. An
  // `egress: []` therefore does not isolate egress unless policyTypes says so.
  if (listed == 0) {
    spec.policy_types.push_back(PolicyType::kIngress);
    if (egress_count != 0) spec.policy_types.push_back(PolicyType::kEgress);
  }
  return spec;
}

doc::Value EncodePeer(const NetworkPolicyPeer& peer) {
  doc::Value v = doc::Value::EmptyMap();
  if (const auto* sel = std::get_if<SelectorPeer>(&peer)) {
    if (sel->pod_selector) v.Set("podSelector", EncodeSelector(*sel->pod_selector));
    if (sel->namespace_selector) {
      v.Set("namespaceSelector", EncodeSelector(*sel->namespace_selector));
    }
    return v;
  }
  const IpBlock& block = std::get<IpBlock>(peer);
  doc::Value& b = v.Set("ipBlock", doc::Value::EmptyMap());
  b.Set("cidr", block.cidr.ToString());
  if (!block.except.empty()) b.Set("except", TextListValue(block.except));
  return v;
}

doc::Value EncodePort(const NetworkPolicyPort& p) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("protocol", ProtocolName(p.protocol));
  if (p.number) v.Set("port", static_cast<int>(*p.number));
  if (p.name) v.Set("port", *p.name);
  if (p.end_port) v.Set("endPort", static_cast<int>(*p.end_port));
  return v;
}

doc::Value EncodeRules(const std::vector<NetworkPolicyRule>& rules, std::string_view peers_key) {
  doc::Value list = doc::Value::EmptyList();
  for (const NetworkPolicyRule& rule : rules) {
    doc::Value r = doc::Value::EmptyMap();
    if (!rule.peers.empty()) {
      doc::Value& peers = r.Set(peers_key, doc::Value::EmptyList());
      for (const NetworkPolicyPeer& peer : rule.peers) peers.Append(EncodePeer(peer));
    }
    if (!rule.ports.empty()) {
      doc::Value& ports = r.Set("ports", doc::Value::EmptyList());
      for (const NetworkPolicyPort& port : rule.ports) ports.Append(EncodePort(port));
    }
    list.Append(std::move(r));
  }
  return list;
}

doc::Value EncodeSpec(const NetworkPolicySpec& spec) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("podSelector", EncodeSelector(spec.pod_selector));
  if (!spec.ingress.empty()) v.Set("ingress", EncodeRules(spec.ingress, "from"));
  if (!spec.egress.empty()) v.Set("egress", EncodeRules(spec.egress, "to"));
  doc::Value& types = v.Set("policyTypes", doc::Value::EmptyList());
  for (PolicyType t : spec.policy_types) types.Append(PolicyTypeName(t));
  return v;
}

}  // namespace

std::string_view PolicyTypeName(PolicyType t) { return kPolicyTypeNames[static_cast<size_t>(t)]; }

bool NetworkPolicySpec::Isolates(PolicyType t) const {
  return std::find(policy_types.begin(), policy_types.end(), t) != policy_types.end();
}

NetworkPolicy DecodeNetworkPolicy(const doc::Value& v, FieldErrors* errs) {
  NetworkPolicy np;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  np.metadata = DecodeMeta(r, /*namespaced=*/true);
  bool has_spec = r.Object("spec", [&](ObjectReader& s) { np.spec = DecodeSpec(s); });
  if (!has_spec) {
    // An absent spec is the zero spec upstream: isolate every pod of the namespace for ingress.
    np.spec.policy_types = {PolicyType::kIngress};
  }
  r.Object("status", [&](ObjectReader& st) {
    np.conditions = DecodeConditions(st, "conditions", ConditionSchema::kMetaV1);
  });
  return np;
}

doc::Value EncodeNetworkPolicy(const NetworkPolicy& np) {
  doc::Value status;  // absent when there are no conditions
  if (!np.conditions.empty()) {
    status = doc::Value::EmptyMap();
    status.Set("conditions", EncodeConditions(np.conditions, ConditionSchema::kMetaV1));
  }
  return Envelope(*FindKind("NetworkPolicy"), np.metadata, EncodeSpec(np.spec), std::move(status));
}

StatusOr<doc::Value> CanonicalizeNetworkPolicy(const doc::Value& v) {
  return CanonicalizeWith<NetworkPolicy>(v, "NetworkPolicy", &DecodeNetworkPolicy,
                                         &EncodeNetworkPolicy);
}

}  // namespace egret::model
