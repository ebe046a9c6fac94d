#include "lab/lab_state.h"

#include <algorithm>

#include "common/strings.h"
#include "model/reader.h"

namespace egret::lab {
namespace {

using model::ObjectReader;

doc::Value EncodeProcess(const ProcessRecord& p) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("pid", p.pid);
  v.Set("startTicks", static_cast<int64_t>(p.start_ticks));
  return v;
}

doc::Value EncodeIps(const std::vector<model::IpAddress>& ips) {
  doc::Value v = doc::Value::EmptyList();
  for (const model::IpAddress& ip : ips) v.Append(ip.ToString());
  return v;
}

doc::Value EncodeServe(const std::vector<ServePort>& ports) {
  doc::Value v = doc::Value::EmptyList();
  for (const ServePort& p : ports) v.Append(ServePortText(p));
  return v;
}

ProcessRecord DecodeProcess(ObjectReader& r, std::string_view key) {
  ProcessRecord p;
  r.Object(key, [&](ObjectReader& pr) {
    p.pid = static_cast<int>(pr.Int("pid", 0, 1 << 30).value_or(0));
    p.start_ticks = static_cast<uint64_t>(pr.Int("startTicks", 0, INT64_MAX).value_or(0));
  });
  return p;
}

std::vector<model::IpAddress> DecodeIps(ObjectReader& r, std::string_view key) {
  std::vector<model::IpAddress> out;
  r.ForEachString(key, [&](size_t i, const std::string& text) {
    auto ip = model::IpAddress::Parse(text);
    if (!ip) {
      r.errors()->Add(model::Index(r.FieldPath(key), i), Quote(text) + " is not an IP address");
      return;
    }
    out.push_back(*ip);
  });
  return out;
}

std::vector<ServePort> DecodeServe(ObjectReader& r, std::string_view key, bool names) {
  std::vector<ServePort> out;
  std::vector<std::string> items = r.StringList(key);
  if (items.empty()) return out;
  auto ports = ParseServePorts(Join(items, ","), "port", names);
  if (!ports.ok()) {
    r.Error(key, ports.status().message());
    return out;
  }
  return *ports;
}

NodeRecord DecodeNode(ObjectReader& r) {
  NodeRecord n;
  n.name = r.RequiredString("name");
  n.index = static_cast<int>(r.Int("index", 1, kMaxNodes).value_or(0));
  n.netns = r.RequiredString("netns");
  n.addresses = DecodeIps(r, "addresses");
  n.up = r.Bool("up").value_or(true);
  n.agent = DecodeProcess(r, "agent");
  return n;
}

ExternalRecord DecodeExternal(ObjectReader& r) {
  ExternalRecord e;
  e.name = r.RequiredString("name");
  e.index = static_cast<int>(r.Int("index", 1, kMaxExternals).value_or(0));
  e.netns = r.RequiredString("netns");
  e.addresses = DecodeIps(r, "addresses");
  e.serve = DecodeServe(r, "serve", /*names=*/false);
  e.server = DecodeProcess(r, "server");
  return e;
}

PodRecord DecodePod(ObjectReader& r) {
  PodRecord p;
  p.ref.ns = r.RequiredString("namespace");
  p.ref.name = r.RequiredString("name");
  p.node = r.RequiredString("node");
  p.netns = r.RequiredString("netns");
  p.container_id = r.RequiredString("containerID");
  p.addresses = DecodeIps(r, "addresses");
  p.serve = DecodeServe(r, "serve", /*names=*/true);
  p.server = DecodeProcess(r, "server");
  return p;
}

void DecodeTop(ObjectReader& r, LabState* s) {
  if (auto version = r.Int("version", 0, 1000); version && *version != LabState::kVersion) {
    r.Error("version", std::to_string(*version) + " is not supported (this build writes " +
                           std::to_string(LabState::kVersion) + ")");
  }
  s->name = r.RequiredString("name");
  std::string family = r.RequiredString("ipFamily");
  if (auto f = ParseIpFamilyMode(family)) {
    s->ip_family = *f;
  } else if (!family.empty()) {
    r.Error("ipFamily", Quote(family) + " is not ipv4, ipv6 or dual");
  }
  std::string mode = r.RequiredString("mode");
  if (auto m = ParseNetMode(mode)) {
    s->mode = *m;
  } else if (!mode.empty()) {
    r.Error("mode", Quote(mode) + " is not encap or noencap");
  }
  s->agents = r.Bool("agents").value_or(true);
  std::string phase = r.String("phase").value_or("creating");
  if (phase != "creating" && phase != "ready") r.Error("phase", Quote(phase) + " is not a phase");
  s->phase = phase == "ready" ? LabState::Phase::kReady : LabState::Phase::kCreating;
  s->namespaces = r.StringList("namespaces");
  s->controller = DecodeProcess(r, "controller");
}

template <typename T>
auto FindIn(T& items, auto pred) -> decltype(&items.front()) {
  auto it = std::find_if(items.begin(), items.end(), pred);
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

NodeRecord* LabState::FindNode(std::string_view node) {
  return FindIn(nodes, [&](const NodeRecord& n) { return n.name == node; });
}
const NodeRecord* LabState::FindNode(std::string_view node) const {
  return FindIn(nodes, [&](const NodeRecord& n) { return n.name == node; });
}
ExternalRecord* LabState::FindExternal(std::string_view ext) {
  return FindIn(externals, [&](const ExternalRecord& e) { return e.name == ext; });
}
const ExternalRecord* LabState::FindExternal(std::string_view ext) const {
  return FindIn(externals, [&](const ExternalRecord& e) { return e.name == ext; });
}
PodRecord* LabState::FindPod(const PodRef& ref) {
  return FindIn(pods, [&](const PodRecord& p) { return p.ref == ref; });
}
const PodRecord* LabState::FindPod(const PodRef& ref) const {
  return FindIn(pods, [&](const PodRecord& p) { return p.ref == ref; });
}

std::optional<int> LabState::FreeExternalIndex() const {
  for (int i = 1; i <= kMaxExternals; ++i) {
    bool used = std::any_of(externals.begin(), externals.end(),
                            [&](const ExternalRecord& e) { return e.index == i; });
    if (!used) return i;
  }
  return std::nullopt;
}

std::vector<ProcessRecord> LabState::Processes() const {
  std::vector<ProcessRecord> out;
  auto add = [&](const ProcessRecord& p) {
    if (!p.empty()) out.push_back(p);
  };
  add(controller);
  for (const NodeRecord& n : nodes) add(n.agent);
  for (const ExternalRecord& e : externals) add(e.server);
  for (const PodRecord& p : pods) add(p.server);
  return out;
}

void LabState::RecordNamespace(const std::string& netns) {
  if (std::find(namespaces.begin(), namespaces.end(), netns) == namespaces.end()) {
    namespaces.push_back(netns);
  }
}

void LabState::ForgetNamespace(const std::string& netns) { std::erase(namespaces, netns); }

doc::Value EncodeState(const LabState& s) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("version", LabState::kVersion);
  v.Set("name", s.name);
  v.Set("ipFamily", IpFamilyModeName(s.ip_family));
  v.Set("mode", NetModeName(s.mode));
  v.Set("agents", s.agents);
  v.Set("phase", s.phase == LabState::Phase::kReady ? "ready" : "creating");
  doc::Value& namespaces = v.Set("namespaces", doc::Value::EmptyList());
  for (const std::string& n : s.namespaces) namespaces.Append(n);
  v.Set("controller", EncodeProcess(s.controller));
  doc::Value& nodes = v.Set("nodes", doc::Value::EmptyList());
  for (const NodeRecord& n : s.nodes) {
    doc::Value& item = nodes.Append(doc::Value::EmptyMap());
    item.Set("name", n.name);
    item.Set("index", n.index);
    item.Set("netns", n.netns);
    item.Set("addresses", EncodeIps(n.addresses));
    item.Set("up", n.up);
    item.Set("agent", EncodeProcess(n.agent));
  }
  doc::Value& exts = v.Set("externals", doc::Value::EmptyList());
  for (const ExternalRecord& e : s.externals) {
    doc::Value& item = exts.Append(doc::Value::EmptyMap());
    item.Set("name", e.name);
    item.Set("index", e.index);
    item.Set("netns", e.netns);
    item.Set("addresses", EncodeIps(e.addresses));
    item.Set("serve", EncodeServe(e.serve));
    item.Set("server", EncodeProcess(e.server));
  }
  doc::Value& pods = v.Set("pods", doc::Value::EmptyList());
  for (const PodRecord& p : s.pods) {
    doc::Value& item = pods.Append(doc::Value::EmptyMap());
    item.Set("namespace", p.ref.ns);
    item.Set("name", p.ref.name);
    item.Set("node", p.node);
    item.Set("netns", p.netns);
    item.Set("containerID", p.container_id);
    item.Set("addresses", EncodeIps(p.addresses));
    item.Set("serve", EncodeServe(p.serve));
    item.Set("server", EncodeProcess(p.server));
  }
  return v;
}

StatusOr<LabState> DecodeState(const doc::Value& v, std::string_view source) {
  if (!v.is_map()) {
    return InvalidError(std::string(source) + ": " + model::TypeMismatch("an object", v));
  }
  model::FieldErrors errs;
  LabState s;
  {
    ObjectReader r(&v, "", &errs);
    DecodeTop(r, &s);
    r.List("nodes", [&](ObjectReader& nr, size_t) { s.nodes.push_back(DecodeNode(nr)); });
    r.List("externals",
           [&](ObjectReader& er, size_t) { s.externals.push_back(DecodeExternal(er)); });
    r.List("pods", [&](ObjectReader& pr, size_t) { s.pods.push_back(DecodePod(pr)); });
  }
  if (errs.empty()) return s;
  std::string message;
  for (const model::FieldError& e : errs.errors()) {
    if (!message.empty()) message += "\n";
    message += std::string(source) + ": " + (e.path.empty() ? "" : e.path + ": ") + e.reason;
  }
  return InvalidError(message);
}

}  // namespace egret::lab
