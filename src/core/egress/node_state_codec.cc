#include "core/egress/node_state_codec.h"

#include "common/strings.h"
#include "model/reader.h"

namespace egret::core::egress {
namespace {

using model::ObjectReader;

doc::Value StringList(const std::vector<std::string>& items) {
  doc::Value list = doc::Value::EmptyList();
  for (const std::string& s : items) list.Append(s);
  return list;
}


doc::Value EncodeTarget(const EgressTarget& t) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("gateway", t.gateway);
  v.Set("key", t.key);
  if (t.eip.ipv4) v.Set("ipv4", t.eip.ipv4->ToString());
  if (t.eip.ipv6) v.Set("ipv6", t.eip.ipv6->ToString());
  v.Set("unit", t.unit);
  v.Set("candidates", StringList(t.candidates));
  return v;
}

doc::Value EncodePolicy(const PolicyId& id) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("kind", id.kind == PolicyKind::kEgressPolicy ? "EgressPolicy" : "EgressClusterPolicy");
  if (!id.namespace_.empty()) v.Set("namespace", id.namespace_);
  v.Set("name", id.name);
  return v;
}

doc::Value EncodeRow(const SteeringRow& r) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("source", r.source.ToString());
  v.Set("destination", r.destination.ToString());
  v.Set("target", static_cast<int64_t>(r.target));
  v.Set("policy", EncodePolicy(r.policy));
  v.Set("external", r.kind == DestinationKind::kExternal);
  return v;
}

doc::Value EncodeDuty(const SnatDuty& d) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("target", static_cast<int64_t>(d.target));
  doc::Value& matches = v.Set("matches", doc::Value::EmptyList());
  for (const SnatMatch& m : d.matches) {
    doc::Value mv = doc::Value::EmptyMap();
    doc::Value& src = mv.Set("sources", doc::Value::EmptyList());
    for (const model::IpAddress& ip : m.sources) src.Append(ip.ToString());
    doc::Value& dst = mv.Set("destinations", doc::Value::EmptyList());
    for (const model::IpRange& r : m.destinations) dst.Append(r.ToString());
    matches.Append(std::move(mv));
  }
  v.Set("sourceNodes", StringList(d.source_nodes));
  return v;
}

std::optional<model::IpAddress> Address(ObjectReader& r, std::string_view key, bool required) {
  std::optional<std::string> text = required ? r.RequiredString(key) : r.String(key);
  if (!text || (required && text->empty())) return std::nullopt;
  auto ip = model::IpAddress::Parse(*text);
  if (!ip) r.Error(key, Quote(*text) + " is not an IP address");
  return ip;
}

model::IpRange Range(ObjectReader& r, std::string_view key, std::string_view text) {
  std::string why;
  auto range = model::IpRange::Parse(text, &why);
  if (!range) {
    r.Error(key, why);
    return {};
  }
  return *range;
}

size_t TargetIndex(ObjectReader& r, size_t targets) {
  auto t = r.Int("target", 0, INT32_MAX);
  if (t && static_cast<size_t>(*t) >= targets) {
    r.Error("target", std::to_string(*t) + " is not the index of one of the " +
                          std::to_string(targets) + " targets");
    return 0;
  }
  return t ? static_cast<size_t>(*t) : 0;
}

PolicyId DecodePolicy(ObjectReader& r) {
  PolicyId id;
  std::string kind = r.RequiredString("kind");
  if (kind == "EgressClusterPolicy") {
    id.kind = PolicyKind::kEgressClusterPolicy;
  } else if (kind != "EgressPolicy") {
    r.Error("kind", Quote(kind) + " is not EgressPolicy or EgressClusterPolicy");
  }
  id.namespace_ = r.String("namespace").value_or("");
  id.name = r.RequiredString("name");
  return id;
}

EgressTarget DecodeTarget(ObjectReader& r) {
  EgressTarget t;
  t.gateway = r.RequiredString("gateway");
  t.key = r.RequiredString("key");
  t.eip.ipv4 = Address(r, "ipv4", false);
  t.eip.ipv6 = Address(r, "ipv6", false);
  t.unit = r.String("unit").value_or("");
  t.candidates = r.StringList("candidates");
  return t;
}

SteeringRow DecodeRow(ObjectReader& r, size_t targets) {
  SteeringRow row;
  row.source = Address(r, "source", true).value_or(model::IpAddress());
  row.destination = Range(r, "destination", r.RequiredString("destination"));
  row.target = TargetIndex(r, targets);
  r.Object("policy", [&](ObjectReader& p) { row.policy = DecodePolicy(p); });
  row.kind = r.Bool("external").value_or(false) ? DestinationKind::kExternal
                                                : DestinationKind::kDestSubnet;
  return row;
}

SnatDuty DecodeDuty(ObjectReader& r, size_t targets) {
  SnatDuty d;
  d.target = TargetIndex(r, targets);
  r.List("matches", [&](ObjectReader& m, size_t) {
    SnatMatch match;
    for (const std::string& s : m.StringList("sources")) {
      if (auto ip = model::IpAddress::Parse(s)) {
        match.sources.push_back(*ip);
      } else {
        m.Error("sources", Quote(s) + " is not an IP address");
      }
    }
    for (const std::string& s : m.StringList("destinations")) {
      match.destinations.push_back(Range(m, "destinations", s));
    }
    m.Finish();
    d.matches.push_back(std::move(match));
  });
  d.source_nodes = r.StringList("sourceNodes");
  return d;
}

}  // namespace

doc::Value EncodeNodeEgressState(const NodeEgressState& state) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("node", state.node);
  doc::Value& targets = v.Set("targets", doc::Value::EmptyList());
  for (const EgressTarget& t : state.targets) targets.Append(EncodeTarget(t));
  doc::Value& rows = v.Set("steering", doc::Value::EmptyList());
  for (const SteeringRow& r : state.steering) rows.Append(EncodeRow(r));
  doc::Value& duties = v.Set("snat", doc::Value::EmptyList());
  for (const SnatDuty& d : state.snat) duties.Append(EncodeDuty(d));
  return v;
}

StatusOr<NodeEgressState> DecodeNodeEgressState(const doc::Value& v) {
  model::FieldErrors errs;
  NodeEgressState s;
  ObjectReader r(&v, "", &errs);
  s.node = r.RequiredString("node");
  r.List("targets", [&](ObjectReader& t, size_t) {
    s.targets.push_back(DecodeTarget(t));
    t.Finish();
  });
  const size_t n = s.targets.size();
  r.List("steering", [&](ObjectReader& row, size_t) {
    s.steering.push_back(DecodeRow(row, n));
    row.Finish();
  });
  r.List("snat", [&](ObjectReader& d, size_t) {
    s.snat.push_back(DecodeDuty(d, n));
    d.Finish();
  });
  r.Finish();
  if (!errs.empty()) return errs.ToStatus("NodeEgressState", "", s.node);
  return s;
}

}  // namespace egret::core::egress
