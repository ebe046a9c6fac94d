#include "model/node.h"

#include <optional>
#include <set>
#include <utility>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

NodeSpec DecodeNodeSpec(ObjectReader& r) {
  NodeSpec spec;
  std::optional<Cidr> primary;
  if (std::optional<std::string> s = r.String("podCIDR"); s && !s->empty()) {
    primary = ParseCidrField(*s, r.FieldPath("podCIDR"), r.errors());
  }
  std::vector<FamilyEntry> entries;
  bool parsed_all = true;
  bool strings = r.ForEachString("podCIDRs", [&](size_t i, const std::string& text) {
    std::optional<Cidr> c = ParseCidrField(text, Index(r.FieldPath("podCIDRs"), i), r.errors());
    if (!c) {
      parsed_all = false;
      return;
    }
    entries.push_back({i, c->family(), text});
    spec.pod_cidrs.push_back(*c);
  });
  ValidateOnePerFamily(entries, r.FieldPath("podCIDRs"), "CIDR", r.errors());
  ReconcilePrimary(primary, &spec.pod_cidrs, strings && parsed_all, r.FieldPath("podCIDR"),
                   r.FieldPath("podCIDRs"), r.errors());
  spec.unschedulable = r.Bool("unschedulable").value_or(false);
  return spec;
}

bool IsIpType(NodeAddressType t) {
  return t == NodeAddressType::kInternalIP || t == NodeAddressType::kExternalIP;
}

NodeAddress DecodeNodeAddress(ObjectReader& r) {
  NodeAddress a;
  std::optional<NodeAddressType> type =
      DecodeEnum<NodeAddressType>(r, "type", kNodeAddressTypeNames, "address type", true);
  a.type = type.value_or(NodeAddressType::kHostname);
  a.address = r.RequiredString("address");
  if (type && IsIpType(*type) && !a.address.empty()) {
    std::optional<IpAddress> ip = ParseIpField(a.address, r.FieldPath("address"), r.errors());
    if (ip) a.address = ip->ToString();
  }
  return a;
}

NodeStatus DecodeNodeStatus(ObjectReader& r) {
  NodeStatus st;
  std::set<std::pair<NodeAddressType, std::string>> seen;
  r.List("addresses", [&](ObjectReader& ar, size_t) {
    NodeAddress a = DecodeNodeAddress(ar);
    if (!a.address.empty() && !seen.emplace(a.type, a.address).second) {
      ar.Error("", Quote(a.address) + " is already listed as " +
                       std::string(kNodeAddressTypeNames[static_cast<size_t>(a.type)]) +
                       ": list each address once");
    }
    st.addresses.push_back(std::move(a));
  });
  st.conditions = DecodeConditions(r, "conditions", ConditionSchema::kCoreV1);
  return st;
}

doc::Value EncodeNodeSpec(const NodeSpec& spec) {
  doc::Value v;
  if (!spec.pod_cidrs.empty()) {
    v.Set("podCIDR", spec.pod_cidrs.front().ToString());
    v.Set("podCIDRs", TextListValue(spec.pod_cidrs));
  }
  if (spec.unschedulable) v.Set("unschedulable", true);
  return v;
}

doc::Value EncodeNodeStatus(const NodeStatus& st) {
  doc::Value v = doc::Value::EmptyMap();
  if (!st.addresses.empty()) {
    doc::Value& list = v.Set("addresses", doc::Value::EmptyList());
    for (const NodeAddress& a : st.addresses) {
      doc::Value item = doc::Value::EmptyMap();
      item.Set("type", kNodeAddressTypeNames[static_cast<size_t>(a.type)]);
      item.Set("address", a.address);
      list.Append(std::move(item));
    }
  }
  if (!st.conditions.empty()) {
    v.Set("conditions", EncodeConditions(st.conditions, ConditionSchema::kCoreV1));
  }
  return v;
}

}  // namespace

Node DecodeNode(const doc::Value& v, FieldErrors* errs) {
  Node node;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  node.metadata = DecodeMeta(r, /*namespaced=*/false);
  r.Object("spec", [&](ObjectReader& sr) { node.spec = DecodeNodeSpec(sr); });
  r.Object("status", [&](ObjectReader& sr) { node.status = DecodeNodeStatus(sr); });
  return node;
}

doc::Value EncodeNode(const Node& node) {
  return Envelope(*FindKind("Node"), node.metadata, EncodeNodeSpec(node.spec),
                  EncodeNodeStatus(node.status));
}

StatusOr<doc::Value> CanonicalizeNode(const doc::Value& v) {
  return CanonicalizeWith<Node>(v, "Node", &DecodeNode, &EncodeNode);
}

std::vector<IpAddress> InternalIPs(const Node& node) {
  std::vector<IpAddress> out;
  for (const NodeAddress& a : node.status.addresses) {
    if (a.type != NodeAddressType::kInternalIP) continue;
    if (std::optional<IpAddress> ip = IpAddress::Parse(a.address)) out.push_back(*ip);
  }
  return out;
}

ConditionStatus FindCondition(const Node& node, std::string_view type) {
  return ConditionStatusOf(node.status.conditions, type);
}

}  // namespace egret::model
