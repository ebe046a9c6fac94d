#include "core/netpol/state_codec.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "core/netpol/ranges.h"
#include "model/reader.h"

namespace egret::core::netpol {
namespace {

using model::IpAddress;
using model::ObjectReader;

constexpr const char* kActionNames[] = {"Accept", "Drop", "NextTier"};


doc::Value Addresses(const std::vector<IpAddress>& ips) {
  doc::Value list = doc::Value::EmptyList();
  for (const IpAddress& ip : ips) list.Append(ip.ToString());
  return list;
}

doc::Value EncodeRule(const Rule& r) {
  doc::Value v = doc::Value::EmptyMap();
  if (r.peer.kind == PeerMatch::Kind::kSet) {
    v.Set("peer", doc::Value::EmptyMap()).Set("set", r.peer.set);
  } else if (r.peer.kind == PeerMatch::Kind::kRanges) {
    doc::Value& ranges =
        v.Set("peer", doc::Value::EmptyMap()).Set("ranges", doc::Value::EmptyList());
    for (const model::IpRange& range : r.peer.ranges) ranges.Append(range.ToString());
  }
  if (!r.ports.empty()) {
    doc::Value& ports = v.Set("ports", doc::Value::EmptyList());
    for (const PortMatch& p : r.ports) {
      doc::Value pv = doc::Value::EmptyMap();
      if (p.protocol) pv.Set("protocol", std::string(model::ProtocolName(*p.protocol)));
      if (p.port_set.empty()) {
        pv.Set("first", static_cast<int64_t>(p.first));
        pv.Set("last", static_cast<int64_t>(p.last));
      } else {
        pv.Set("portSet", p.port_set);
      }
      ports.Append(std::move(pv));
    }
  }
  v.Set("action", kActionNames[static_cast<int>(r.action)]);
  if (!r.origin.empty()) v.Set("origin", r.origin);
  return v;
}

doc::Value EncodeTier(const TierProgram& t) {
  doc::Value v = doc::Value::EmptyMap();
  doc::Value& rules = v.Set("rules", doc::Value::EmptyList());
  for (const Rule& r : t.rules) rules.Append(EncodeRule(r));
  v.Set("otherwise", kActionNames[static_cast<int>(t.otherwise)]);
  return v;
}

doc::Value EncodeDirection(const DirectionProgram& d) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("admin", EncodeTier(d.admin));
  v.Set("networkPolicy", EncodeTier(d.network_policy));
  v.Set("baseline", EncodeTier(d.baseline));
  return v;
}

// Set names go into nftables scripts verbatim: a letter, then letters and digits, short.
bool IsSetName(std::string_view s) {
  if (s.empty() || s.size() > 40 || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Names defined by the state, for the references of its rules.
struct Defined {
  std::set<std::string> address_sets;
  std::set<std::string> port_sets;
};

std::vector<IpAddress> ReadAddresses(ObjectReader& r, std::string_view key) {
  std::vector<IpAddress> out;
  r.ForEachString(key, [&](size_t i, const std::string& text) {
    if (auto ip = IpAddress::Parse(text)) {
      out.push_back(*ip);
    } else {
      r.Error(model::Index(key, i), Quote(text) + " is not an IP address");
    }
  });
  return out;
}

std::string ReadSetName(ObjectReader& r, std::string_view key) {
  std::string name = r.RequiredString(key);
  if (!name.empty() && !IsSetName(name)) {
    r.Error(key, Quote(name) +
                     " is not a set name: use a lower-case letter, then up to 39 "
                     "lower-case letters and digits");
  }
  return name;
}

Action ReadAction(ObjectReader& r, std::string_view key) {
  std::string text = r.RequiredString(key);
  for (int i = 0; i < 3; ++i) {
    if (text == kActionNames[i]) return static_cast<Action>(i);
  }
  if (!text.empty()) r.Error(key, Quote(text) + " is not Accept, Drop or NextTier");
  return Action::kDrop;
}

PeerMatch ReadPeer(ObjectReader& r, const Defined& defined) {
  PeerMatch peer;
  if (r.Has("set")) {
    peer.kind = PeerMatch::Kind::kSet;
    peer.set = ReadSetName(r, "set");
    if (!peer.set.empty() && !defined.address_sets.contains(peer.set)) {
      r.Error("set", Quote(peer.set) + " is not one of the state's addressSets");
    }
  } else if (r.Has("ranges")) {
    peer.kind = PeerMatch::Kind::kRanges;
    r.ForEachString("ranges", [&](size_t i, const std::string& text) {
      std::string why;
      if (auto range = model::IpRange::Parse(text, &why)) {
        peer.ranges.push_back(*range);
      } else {
        r.Error(model::Index("ranges", i), why);
      }
    });
    if (peer.ranges.empty()) r.Error("ranges", "Required value: at least one range");
    // Overlaps would make nftables reject the whole script.
    peer.ranges = Normalize(std::move(peer.ranges));
  } else {
    r.Error("", "Required value: set or ranges (leave out peer to match any address)");
  }
  return peer;
}

PortMatch ReadPort(ObjectReader& r, const Defined& defined) {
  PortMatch p;
  if (auto proto = r.String("protocol")) {
    p.protocol = model::ParseProtocol(*proto);
    if (!p.protocol) r.Error("protocol", Quote(*proto) + " is not TCP, UDP or SCTP");
  }
  if (r.Has("portSet")) {
    p.port_set = ReadSetName(r, "portSet");
    if (!p.port_set.empty() && !defined.port_sets.contains(p.port_set)) {
      r.Error("portSet", Quote(p.port_set) + " is not one of the state's portSets");
    }
    return p;
  }
  p.first = static_cast<uint16_t>(r.Int("first", 0, 65535).value_or(0));
  p.last = static_cast<uint16_t>(r.Int("last", 0, 65535).value_or(65535));
  if (p.last < p.first) r.Error("last", std::to_string(p.last) + " is below first");
  return p;
}

TierProgram ReadTier(ObjectReader& r, const Defined& defined) {
  TierProgram t;
  r.List("rules", [&](ObjectReader& rr, size_t) {
    Rule rule;
    rr.Object("peer", [&](ObjectReader& pr) { rule.peer = ReadPeer(pr, defined); });
    rr.List("ports",
            [&](ObjectReader& pr, size_t) { rule.ports.push_back(ReadPort(pr, defined)); });
    rule.action = ReadAction(rr, "action");
    rule.origin = rr.String("origin").value_or("");
    t.rules.push_back(std::move(rule));
  });
  t.otherwise = ReadAction(r, "otherwise");
  return t;
}

DirectionProgram ReadDirection(ObjectReader& r, const Defined& defined) {
  DirectionProgram d;
  r.RequiredObject("admin", "", [&](ObjectReader& t) { d.admin = ReadTier(t, defined); });
  r.RequiredObject("networkPolicy", "",
                   [&](ObjectReader& t) { d.network_policy = ReadTier(t, defined); });
  r.RequiredObject("baseline", "", [&](ObjectReader& t) { d.baseline = ReadTier(t, defined); });
  return d;
}

std::optional<PortTuple> ParseTupleImpl(std::string_view text) {
  std::vector<std::string_view> parts = Split(text, ' ');
  if (parts.size() != 3) return std::nullopt;
  auto ip = IpAddress::Parse(parts[0]);
  auto proto = model::ParseProtocol(parts[1]);
  auto port = ParseInt(parts[2]);
  if (!ip || !proto || !port || *port < 0 || *port > 65535) return std::nullopt;
  return PortTuple{*ip, *proto, static_cast<uint16_t>(*port)};
}

void ReadSets(ObjectReader& r, NodePolicyState* s, Defined* defined) {
  r.List("addressSets", [&](ObjectReader& sr, size_t) {
    AddressSet set;
    set.name = ReadSetName(sr, "name");
    set.key = sr.String("key").value_or("");
    set.members = ReadAddresses(sr, "members");
    std::sort(set.members.begin(), set.members.end());
    set.members.erase(std::unique(set.members.begin(), set.members.end()), set.members.end());
    defined->address_sets.insert(set.name);
    s->address_sets.push_back(std::move(set));
  });
  r.List("portSets", [&](ObjectReader& sr, size_t) {
    PortSet set;
    set.name = ReadSetName(sr, "name");
    set.key = sr.String("key").value_or("");
    sr.ForEachString("members", [&](size_t i, const std::string& text) {
      if (auto t = ParseTupleImpl(text)) {
        set.members.push_back(*t);
      } else {
        sr.Error(model::Index("members", i),
                 Quote(text) + " is not \"ADDRESS PROTOCOL PORT\" (e.g. \"10.0.0.1 TCP 80\")");
      }
    });
    std::sort(set.members.begin(), set.members.end());
    set.members.erase(std::unique(set.members.begin(), set.members.end()), set.members.end());
    defined->port_sets.insert(set.name);
    s->port_sets.push_back(std::move(set));
  });
}

}  // namespace

doc::Value EncodeNodePolicyState(const NodePolicyState& state) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("node", state.node);
  doc::Value& node_pods = v.Set("nodePods", doc::Value::EmptyList());
  for (const NodePod& p : state.node_pods) {
    doc::Value pv = doc::Value::EmptyMap();
    pv.Set("namespace", p.namespace_);
    pv.Set("name", p.name);
    pv.Set("addresses", Addresses(p.addresses));
    node_pods.Append(std::move(pv));
  }
  doc::Value& sets = v.Set("addressSets", doc::Value::EmptyList());
  for (const AddressSet& s : state.address_sets) {
    doc::Value sv = doc::Value::EmptyMap();
    sv.Set("name", s.name);
    sv.Set("key", s.key);
    sv.Set("members", Addresses(s.members));
    sets.Append(std::move(sv));
  }
  doc::Value& port_sets = v.Set("portSets", doc::Value::EmptyList());
  for (const PortSet& s : state.port_sets) {
    doc::Value sv = doc::Value::EmptyMap();
    sv.Set("name", s.name);
    sv.Set("key", s.key);
    doc::Value& members = sv.Set("members", doc::Value::EmptyList());
    for (const PortTuple& t : s.members) {
      members.Append(PortTupleText(t));
    }
    port_sets.Append(std::move(sv));
  }
  doc::Value& pods = v.Set("pods", doc::Value::EmptyList());
  for (const PodProgram& p : state.pods) {
    doc::Value pv = doc::Value::EmptyMap();
    pv.Set("namespace", p.namespace_);
    pv.Set("name", p.name);
    pv.Set("addresses", Addresses(p.addresses));
    pv.Set("ingress", EncodeDirection(p.ingress));
    pv.Set("egress", EncodeDirection(p.egress));
    pods.Append(std::move(pv));
  }
  return v;
}

StatusOr<NodePolicyState> DecodeNodePolicyState(const doc::Value& v) {
  model::FieldErrors errs;
  NodePolicyState s;
  Defined defined;
  {
    ObjectReader r(&v, "", &errs);
    s.node = r.RequiredString("node");
    r.List("nodePods", [&](ObjectReader& pr, size_t) {
      NodePod p;
      p.namespace_ = pr.RequiredString("namespace");
      p.name = pr.RequiredString("name");
      p.addresses = ReadAddresses(pr, "addresses");
      s.node_pods.push_back(std::move(p));
    });
    ReadSets(r, &s, &defined);
    r.List("pods", [&](ObjectReader& pr, size_t) {
      PodProgram p;
      p.namespace_ = pr.RequiredString("namespace");
      p.name = pr.RequiredString("name");
      p.addresses = ReadAddresses(pr, "addresses");
      pr.RequiredObject("ingress", "",
                        [&](ObjectReader& d) { p.ingress = ReadDirection(d, defined); });
      pr.RequiredObject("egress", "",
                        [&](ObjectReader& d) { p.egress = ReadDirection(d, defined); });
      s.pods.push_back(std::move(p));
    });
    r.Finish();
  }
  if (!errs.empty()) return errs.ToStatus("NodePolicyState", "", s.node);
  return s;
}

std::string PortTupleText(const PortTuple& t) {
  return t.address.ToString() + " " + std::string(model::ProtocolName(t.protocol)) + " " +
         std::to_string(t.port);
}

std::optional<PortTuple> ParsePortTuple(std::string_view text) { return ParseTupleImpl(text); }

}  // namespace egret::core::netpol
