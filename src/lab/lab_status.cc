#include "lab/lab_status.h"

#include <cstdio>

#include "common/strings.h"
#include "doc/json.h"
#include "lab/lab_commands.h"
#include "lab/process.h"
#include "lab/state_file.h"

namespace egret::lab {
namespace {

doc::Value Strings(const std::vector<std::string>& items) {
  doc::Value v = doc::Value::EmptyList();
  for (const std::string& s : items) v.Append(s);
  return v;
}

template <typename T>
doc::Value Texts(const std::vector<T>& items) {
  doc::Value v = doc::Value::EmptyList();
  for (const T& item : items) v.Append(item.ToString());
  return v;
}

doc::Value ProcessValue(const ProcessRecord& p, const LiveView& live) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("pid", p.pid);
  v.Set("running", !p.empty() && live.running(p));
  return v;
}

doc::Value ServeValue(const std::vector<ServePort>& serve) {
  doc::Value v = doc::Value::EmptyList();
  for (const ServePort& p : serve) v.Append(ServePortText(p));
  return v;
}

doc::Value UnderlayValue(const LabState& s, const AddressPlan& plan) {
  doc::Value u = doc::Value::EmptyMap();
  u.Set("netns", LabNames(s.name).Underlay());
  u.Set("bridge", std::string(kUnderlayBridge));
  u.Set("cidrs", Texts(plan.UnderlayCidrs()));
  u.Set("router", Texts(plan.RouterIps()));
  return u;
}

doc::Value EipPoolValue(const AddressPlan& plan) {
  doc::Value v = doc::Value::EmptyMap();
  for (const model::IpRange& r : plan.EipPool()) {
    v.Set(r.first.is_v4() ? "ipv4" : "ipv6", r.first.ToString() + "-" + r.last.ToString());
  }
  return v;
}

doc::Value NodeValue(const NodeRecord& n, const LiveView& live) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("name", n.name);
  v.Set("netns", n.netns);
  v.Set("addresses", Texts(n.addresses));
  auto info = live.nodes.find(n.name);
  v.Set("podCIDRs",
        Strings(info == live.nodes.end() ? std::vector<std::string>{} : info->second.pod_cidrs));
  doc::Value labels = doc::Value::EmptyMap();
  if (info != live.nodes.end()) {
    for (const auto& [k, val] : info->second.labels) labels.Set(k, val);
  }
  v.Set("labels", std::move(labels));
  v.Set("up", n.up);
  v.Set("agent", ProcessValue(n.agent, live));
  return v;
}

}  // namespace

doc::Value BuildStatusDocument(const LabState& s, const LiveView& live) {
  AddressPlan plan(s.ip_family);
  LabPaths paths = LabPaths::For(s.name);
  doc::Value v = doc::Value::EmptyMap();
  v.Set("name", s.name);
  v.Set("phase", s.phase == LabState::Phase::kReady ? "ready" : "creating");
  v.Set("ipFamily", IpFamilyModeName(s.ip_family));
  v.Set("mode", NetModeName(s.mode));
  v.Set("agents", s.agents);
  v.Set("api", "unix:" + paths.ApiSocket());
  v.Set("underlay", UnderlayValue(s, plan));
  v.Set("clusterCIDRs", Texts(plan.ClusterCidrs()));
  v.Set("serviceCIDRs", Texts(plan.ServiceCidrs()));
  v.Set("eipPool", EipPoolValue(plan));
  doc::Value controller = ProcessValue(s.controller, live);
  controller.Set("netns", LabNames(s.name).ControlPlane());
  v.Set("controller", std::move(controller));
  doc::Value& nodes = v.Set("nodes", doc::Value::EmptyList());
  for (const NodeRecord& n : s.nodes) nodes.Append(NodeValue(n, live));
  doc::Value& pods = v.Set("pods", doc::Value::EmptyList());
  for (const PodRecord& p : s.pods) {
    doc::Value& item = pods.Append(doc::Value::EmptyMap());
    item.Set("namespace", p.ref.ns);
    item.Set("name", p.ref.name);
    item.Set("node", p.node);
    item.Set("netns", p.netns);
    item.Set("addresses", Texts(p.addresses));
    item.Set("serve", ServeValue(p.serve));
  }
  doc::Value& exts = v.Set("externals", doc::Value::EmptyList());
  for (const ExternalRecord& e : s.externals) {
    doc::Value& item = exts.Append(doc::Value::EmptyMap());
    item.Set("name", e.name);
    item.Set("netns", e.netns);
    item.Set("addresses", Texts(e.addresses));
    item.Set("serve", ServeValue(e.serve));
  }
  return v;
}

Status PrintLabStatus(const LabState& state, bool json) {
  LiveView live;
  live.running = [](const ProcessRecord& p) { return IsRunning(p); };
  if (IsRunning(state.controller)) {
    if (auto client = ConnectLab(LabPaths::For(state.name)); client.ok()) {
      for (const NodeRecord& n : state.nodes) {
        if (auto info = GetNodeInfo(*client, n.name); info.ok()) live.nodes[n.name] = *info;
      }
    }
  }
  doc::Value status = BuildStatusDocument(state, live);
  if (json) {
    std::printf("%s\n", doc::ToJson(status, {.pretty = true}).c_str());
  } else {
    std::printf("%s", FormatStatusText(status).c_str());
  }
  return Status::Ok();
}

Status ShowStatus(const Invocation& inv) {
  if (!inv.operands.empty()) return InvalidError("lab status takes no arguments: use --name");
  RETURN_IF_ERROR(ValidateLabName(inv.lab));
  std::string output = inv.flags.Get("output");
  if (!output.empty() && output != "json") {
    return InvalidError("unknown output format " + Quote(output) + ": use json (or nothing)");
  }
  ASSIGN_OR_RETURN(LabState state, LoadState(LabPaths::For(inv.lab), inv.lab));
  return PrintLabStatus(state, output == "json");
}

}  // namespace egret::lab
