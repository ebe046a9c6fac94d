#include "model/admin_network_policy.h"

#include <algorithm>
#include <array>
#include <span>
#include <type_traits>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {

namespace {

// Upstream CRD bounds.
constexpr size_t kMaxRules = 100;
constexpr size_t kMaxPeers = 100;
constexpr size_t kMaxPorts = 100;
constexpr size_t kMaxNetworks = 25;
constexpr size_t kMaxRuleName = 100;

constexpr std::array<std::string_view, 3> kActionNames = {"Allow", "Deny", "Pass"};
// The keys of the unions, in the order of the variants' alternatives.
constexpr std::array<std::string_view, 4> kPeerKeys = {"namespaces", "pods", "nodes", "networks"};
constexpr std::array<std::string_view, 3> kPortKeys = {"portNumber", "namedPort", "portRange"};

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};

// A list field's length against its bounds. `empty_reason` is the error for a present but
// empty list; the caller reports an absent required list itself. Type errors are not repeated.
void CheckListSize(ObjectReader& r, std::string_view key, size_t n, size_t max,
                   std::string_view empty_reason) {
  if (n > max) {
    r.Error(key, "has " + std::to_string(n) + " entries: at most " + std::to_string(max) +
                     " are allowed");
  } else if (n == 0 && !r.errors()->HasErrorAt(r.FieldPath(key))) {
    r.Error(key, std::string(empty_reason));
  }
}

// The index in `keys` of the one key r sets, or nullopt after reporting none or several.
std::optional<size_t> ExactlyOne(ObjectReader& r, std::span<const std::string_view> keys) {
  std::vector<std::string> present;
  size_t which = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!r.Has(keys[i])) continue;
    present.emplace_back(keys[i]);
    which = i;
  }
  if (present.size() == 1) return which;
  // Left undecoded (set twice, or null): "unknown field" on top would be noise.
  for (std::string_view key : keys) r.Raw(key);
  std::string choices = ChoiceList(keys);
  if (present.size() > 1) {
    r.Error("", "sets " + Join(present, " and ") + ": set exactly one of " + choices);
  } else if (!r.errors()->HasErrorAt(r.path())) {  // e.g. an element that is not an object
    r.Error("", "must set one of " + choices);
  }
  return std::nullopt;
}

std::optional<PodsPeer> DecodePods(ObjectReader& r) {
  std::optional<PodsPeer> out;
  r.Object("pods", [&](ObjectReader& p) {
    std::optional<LabelSelector> ns, pods;
    p.RequiredObject("namespaceSelector", "use {} for every namespace",
                     [&](ObjectReader& sel) { ns = DecodeSelector(sel); });
    p.RequiredObject("podSelector", "use {} for every pod",
                     [&](ObjectReader& sel) { pods = DecodeSelector(sel); });
    if (ns && pods) out = PodsPeer{*ns, *pods};
  });
  return out;
}

std::optional<NetworksPeer> DecodeNetworks(ObjectReader& r) {
  NetworksPeer peer;
  r.ForEachString("networks", [&](size_t i, const std::string& text) {
    std::string path = Index(r.FieldPath("networks"), i);
    std::optional<Cidr> c = ParseCidrField(text, path, r.errors());
    if (!c) return;
    if (std::find(peer.networks.begin(), peer.networks.end(), *c) != peer.networks.end()) {
      r.errors()->Add(path, "Duplicate value: " + Quote(c->ToString()) + " is listed twice");
      return;
    }
    peer.networks.push_back(*c);
  });
  size_t n = r.ListSize("networks");
  CheckListSize(r, "networks", n, kMaxNetworks, "must list at least one CIDR");
  // Every entry must have been valid (bad ones are reported and left out).
  if (n == 0 || n > kMaxNetworks || n != peer.networks.size()) return std::nullopt;
  return peer;
}

LabelSelector SelectorOf(ObjectReader& r, std::string_view key) {
  return DecodeSelectorField(r, key).value_or(LabelSelector{});
}

// Subject, ingress peer (the first two keys) and egress peer (all four) share one decoder.
template <typename Peer>
std::optional<Peer> DecodePeer(ObjectReader& r) {
  constexpr bool kEgress = std::is_same_v<Peer, AdminEgressPeer>;
  std::span<const std::string_view> keys(kPeerKeys.data(), kEgress ? 4 : 2);
  std::optional<size_t> which = ExactlyOne(r, keys);
  if (!which) return std::nullopt;
  if (*which == 0) return Peer(NamespacesPeer{SelectorOf(r, "namespaces")});
  if (*which == 1) {
    std::optional<PodsPeer> pods = DecodePods(r);
    if (!pods) return std::nullopt;
    return Peer(*pods);
  }
  if constexpr (kEgress) {
    if (*which == 2) return Peer(NodesPeer{SelectorOf(r, "nodes")});
    std::optional<NetworksPeer> networks = DecodeNetworks(r);
    if (networks) return Peer(*networks);
  }
  return std::nullopt;
}

std::optional<AdminPortNumber> DecodePortNumber(ObjectReader& r) {
  std::optional<AdminPortNumber> out;
  r.Object("portNumber", [&](ObjectReader& p) {
    Protocol protocol = DecodeProtocol(p, "protocol");
    std::optional<int> port = DecodePort(p, "port", /*required=*/true);
    if (port) out = AdminPortNumber{protocol, static_cast<uint16_t>(*port)};
  });
  return out;
}

std::optional<AdminPortRange> DecodePortRange(ObjectReader& r) {
  std::optional<AdminPortRange> out;
  r.Object("portRange", [&](ObjectReader& p) {
    Protocol protocol = DecodeProtocol(p, "protocol");
    std::optional<int> start = DecodePort(p, "start", /*required=*/true);
    std::optional<int> end = DecodePort(p, "end", /*required=*/true);
    if (!start || !end) return;
    if (*start >= *end) {
      p.Error("end", std::to_string(*end) + " is not greater than start " + std::to_string(*start) +
                         ": use portNumber for a single port");
      return;
    }
    out = AdminPortRange{protocol, static_cast<uint16_t>(*start), static_cast<uint16_t>(*end)};
  });
  return out;
}

std::optional<AdminPort> DecodeAdminPort(ObjectReader& r) {
  std::optional<size_t> which = ExactlyOne(r, kPortKeys);
  if (!which) return std::nullopt;
  if (*which == 0) {
    std::optional<AdminPortNumber> n = DecodePortNumber(r);
    if (n) return AdminPort(*n);
  } else if (*which == 1) {
    std::optional<std::string> name = r.String("namedPort");
    if (name && ValidateIanaServiceName(*name, r.FieldPath("namedPort"), r.errors())) {
      return AdminPort(AdminNamedPort{*name});
    }
  } else {
    std::optional<AdminPortRange> range = DecodePortRange(r);
    if (range) return AdminPort(*range);
  }
  return std::nullopt;
}

AdminPolicyAction DecodeAction(ObjectReader& r, bool baseline) {
  // The baseline is the last word: it may not pass traffic on to anything.
  std::span<const std::string_view> names(kActionNames.data(), baseline ? 2 : 3);
  std::optional<size_t> i = DecodeChoice(r, "action", names, "action", /*required=*/true);
  return static_cast<AdminPolicyAction>(i.value_or(1));
}

template <typename Peer>
AdminPolicyRule<Peer> DecodeRule(ObjectReader& r, bool baseline) {
  constexpr std::string_view kPeers =
      std::is_same_v<Peer, AdminEgressPeer> ? std::string_view("to") : std::string_view("from");
  AdminPolicyRule<Peer> rule;
  rule.name = r.String("name").value_or("");
  if (rule.name.size() > kMaxRuleName) {
    r.Error("name", "is " + std::to_string(rule.name.size()) + " characters long: at most " +
                        std::to_string(kMaxRuleName) + " are allowed");
  }
  rule.action = DecodeAction(r, baseline);
  bool has_peers = r.Has(kPeers);
  if (!has_peers) r.Error(kPeers, "Required value: list at least one peer");
  size_t peers = r.List(kPeers, [&](ObjectReader& item, size_t) {
    if (std::optional<Peer> p = DecodePeer<Peer>(item)) rule.peers.push_back(*p);
  });
  if (has_peers) CheckListSize(r, kPeers, peers, kMaxPeers, "must list at least one peer");
  bool has_ports = r.Has("ports");
  size_t ports = r.List("ports", [&](ObjectReader& item, size_t) {
    if (std::optional<AdminPort> p = DecodeAdminPort(item)) rule.ports.push_back(*p);
  });
  if (has_ports) {
    CheckListSize(r, "ports", ports, kMaxPorts,
                  "must list at least one port: omit ports to match every port");
  }
  return rule;
}

template <typename Peer>
std::vector<AdminPolicyRule<Peer>> DecodeRules(ObjectReader& spec, bool baseline) {
  constexpr std::string_view kKey = std::is_same_v<Peer, AdminEgressPeer>
                                        ? std::string_view("egress")
                                        : std::string_view("ingress");
  std::vector<AdminPolicyRule<Peer>> rules;
  size_t n = spec.List(
      kKey, [&](ObjectReader& item, size_t) { rules.push_back(DecodeRule<Peer>(item, baseline)); });
  if (n > kMaxRules) {
    spec.Error(kKey, "has " + std::to_string(n) + " rules: at most " + std::to_string(kMaxRules) +
                         " are allowed");
  }
  return rules;
}

AdminPolicySubject DecodeSubject(ObjectReader& spec) {
  std::optional<AdminPolicySubject> subject;
  spec.RequiredObject("subject", "select the pods by namespaces or by pods",
                      [&](ObjectReader& s) { subject = DecodePeer<AdminPolicySubject>(s); });
  return subject.value_or(NamespacesPeer{});
}

std::vector<Condition> DecodeStatus(ObjectReader& r) {
  std::vector<Condition> conditions;
  r.Object("status", [&](ObjectReader& st) {
    conditions = DecodeConditions(st, "conditions", ConditionSchema::kMetaV1);
  });
  return conditions;
}

doc::Value EncodeStatus(const std::vector<Condition>& conditions) {
  if (conditions.empty()) return doc::Value();
  doc::Value status = doc::Value::EmptyMap();
  status.Set("conditions", EncodeConditions(conditions, ConditionSchema::kMetaV1));
  return status;
}

// ---- encoding ----

doc::Value EncodePods(const PodsPeer& p) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("namespaceSelector", EncodeSelector(p.namespace_selector));
  v.Set("podSelector", EncodeSelector(p.pod_selector));
  return v;
}

template <typename Peer>
doc::Value EncodePeer(const Peer& peer) {
  doc::Value v = doc::Value::EmptyMap();
  std::visit(Overloaded{
                 [&](const NamespacesPeer& p) {
                   v.Set("namespaces", EncodeSelector(p.namespace_selector));
                 },
                 [&](const PodsPeer& p) { v.Set("pods", EncodePods(p)); },
                 [&](const NodesPeer& p) { v.Set("nodes", EncodeSelector(p.node_selector)); },
                 [&](const NetworksPeer& p) { v.Set("networks", TextListValue(p.networks)); },
             },
             peer);
  return v;
}

doc::Value EncodeAdminPort(const AdminPort& port) {
  doc::Value v = doc::Value::EmptyMap();
  std::visit(Overloaded{
                 [&](const AdminPortNumber& p) {
                   doc::Value& n = v.Set("portNumber", doc::Value::EmptyMap());
                   n.Set("protocol", ProtocolName(p.protocol));
                   n.Set("port", static_cast<int>(p.port));
                 },
                 [&](const AdminNamedPort& p) { v.Set("namedPort", p.name); },
                 [&](const AdminPortRange& p) {
                   doc::Value& r = v.Set("portRange", doc::Value::EmptyMap());
                   r.Set("protocol", ProtocolName(p.protocol));
                   r.Set("start", static_cast<int>(p.start));
                   r.Set("end", static_cast<int>(p.end));
                 },
             },
             port);
  return v;
}

template <typename Peer>
void EncodeRules(const std::vector<AdminPolicyRule<Peer>>& rules, std::string_view key,
                 doc::Value* spec) {
  if (rules.empty()) return;
  constexpr std::string_view kPeers =
      std::is_same_v<Peer, AdminEgressPeer> ? std::string_view("to") : std::string_view("from");
  doc::Value& list = spec->Set(key, doc::Value::EmptyList());
  for (const AdminPolicyRule<Peer>& rule : rules) {
    doc::Value r = doc::Value::EmptyMap();
    if (!rule.name.empty()) r.Set("name", rule.name);
    r.Set("action", AdminPolicyActionName(rule.action));
    doc::Value& peers = r.Set(kPeers, doc::Value::EmptyList());
    for (const Peer& p : rule.peers) peers.Append(EncodePeer(p));
    if (!rule.ports.empty()) {
      doc::Value& ports = r.Set("ports", doc::Value::EmptyList());
      for (const AdminPort& p : rule.ports) ports.Append(EncodeAdminPort(p));
    }
    list.Append(std::move(r));
  }
}

// The fields both tiers' specs share (the spec types differ only in priority).
template <typename Spec>
void DecodeTierRules(ObjectReader& spec, bool baseline, Spec* out) {
  out->subject = DecodeSubject(spec);
  out->ingress = DecodeRules<AdminIngressPeer>(spec, baseline);
  out->egress = DecodeRules<AdminEgressPeer>(spec, baseline);
}

template <typename Spec>
void EncodeTierRules(const Spec& in, doc::Value* spec) {
  spec->Set("subject", EncodePeer(in.subject));
  EncodeRules(in.ingress, "ingress", spec);
  EncodeRules(in.egress, "egress", spec);
}

}  // namespace

std::string_view AdminPolicyActionName(AdminPolicyAction a) {
  return kActionNames[static_cast<size_t>(a)];
}

AdminNetworkPolicy DecodeAdminNetworkPolicy(const doc::Value& v, FieldErrors* errs) {
  AdminNetworkPolicy anp;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  anp.metadata = DecodeMeta(r, /*namespaced=*/false);
  r.RequiredObject("spec", "", [&](ObjectReader& spec) {
    std::optional<int64_t> priority = spec.Int("priority", 0, 1000);
    if (!spec.Has("priority")) {
      spec.Error("priority", "Required value: a number 0-1000 (lower is evaluated first)");
    }
    anp.spec.priority = static_cast<int32_t>(priority.value_or(0));
    DecodeTierRules(spec, /*baseline=*/false, &anp.spec);
  });
  anp.conditions = DecodeStatus(r);
  return anp;
}

doc::Value EncodeAdminNetworkPolicy(const AdminNetworkPolicy& anp) {
  doc::Value spec = doc::Value::EmptyMap();
  spec.Set("priority", static_cast<int>(anp.spec.priority));
  EncodeTierRules(anp.spec, &spec);
  return Envelope(*FindKind("AdminNetworkPolicy"), anp.metadata, std::move(spec),
                  EncodeStatus(anp.conditions));
}

BaselineAdminNetworkPolicy DecodeBaselineAdminNetworkPolicy(const doc::Value& v,
                                                            FieldErrors* errs) {
  BaselineAdminNetworkPolicy banp;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  banp.metadata = DecodeMeta(r, /*namespaced=*/false);
  if (!banp.metadata.name.empty() && banp.metadata.name != kBaselineAdminNetworkPolicyName) {
    errs->Add("metadata.name", Quote(banp.metadata.name) +
                                   " is not allowed: the one BaselineAdminNetworkPolicy of a "
                                   "cluster must be named \"default\"");
  }
  r.RequiredObject("spec", "", [&](ObjectReader& spec) {
    DecodeTierRules(spec, /*baseline=*/true, &banp.spec);
  });
  banp.conditions = DecodeStatus(r);
  return banp;
}

doc::Value EncodeBaselineAdminNetworkPolicy(const BaselineAdminNetworkPolicy& banp) {
  doc::Value spec = doc::Value::EmptyMap();
  EncodeTierRules(banp.spec, &spec);
  return Envelope(*FindKind("BaselineAdminNetworkPolicy"), banp.metadata, std::move(spec),
                  EncodeStatus(banp.conditions));
}

StatusOr<doc::Value> CanonicalizeAdminNetworkPolicy(const doc::Value& v) {
  return CanonicalizeWith<AdminNetworkPolicy>(v, "AdminNetworkPolicy", &DecodeAdminNetworkPolicy,
                                              &EncodeAdminNetworkPolicy);
}

StatusOr<doc::Value> CanonicalizeBaselineAdminNetworkPolicy(const doc::Value& v) {
  return CanonicalizeWith<BaselineAdminNetworkPolicy>(v, "BaselineAdminNetworkPolicy",
                                                      &DecodeBaselineAdminNetworkPolicy,
                                                      &EncodeBaselineAdminNetworkPolicy);
}

}  // namespace egret::model
