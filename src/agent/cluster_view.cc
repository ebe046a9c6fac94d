#include "agent/cluster_view.h"

#include "api/client.h"
#include "api/protocol.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/strings.h"
#include "doc/json.h"

namespace egret::agent {
namespace {

using std::chrono::milliseconds;

constexpr std::chrono::seconds kWatchSilence{15};

std::vector<model::Cidr> CidrList(const doc::Value* list) {
  std::vector<model::Cidr> out;
  if (!list || !list->is_list()) return out;
  for (const doc::Value& c : list->as_list()) {
    if (!c.is_string()) continue;
    if (auto cidr = model::Cidr::Parse(c.as_string())) out.push_back(*cidr);
  }
  return out;
}

doc::Value CidrValues(const std::vector<model::Cidr>& cidrs) {
  doc::Value list = doc::Value::EmptyList();
  for (const model::Cidr& c : cidrs) list.Append(c.ToString());
  return list;
}

std::map<std::string, std::string> LabelsOf(const doc::Value& node) {
  std::map<std::string, std::string> out;
  const doc::Value* md = node.Find("metadata");
  const doc::Value* labels = md ? md->Find("labels") : nullptr;
  if (labels && labels->is_map()) {
    for (const doc::Member& m : labels->as_map()) {
      if (m.value.is_string()) out[m.key] = m.value.as_string();
    }
  }
  return out;
}

ClusterFacts FactsOf(const doc::Value& v) {
  return {CidrList(v.Find("clusterCIDRs")), CidrList(v.Find("serviceCIDRs")),
          CidrList(v.Find("extraInternalCIDRs"))};
}

doc::Value FactsValue(const ClusterFacts& f) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("clusterCIDRs", CidrValues(f.cluster_cidrs));
  v.Set("serviceCIDRs", CidrValues(f.service_cidrs));
  v.Set("extraInternalCIDRs", CidrValues(f.extra_internal));
  return v;
}

bool SameNode(const core::netplan::NodeNet& a, const core::netplan::NodeNet& b) {
  return a.name == b.name && a.underlay == b.underlay && a.pod_cidrs == b.pod_cidrs;
}

}  // namespace

core::netplan::NodeNet NodeNetOf(const doc::Value& node) {
  core::netplan::NodeNet n;
  if (const doc::Value* md = node.Find("metadata")) n.name = api::StringField(*md, "name");
  if (const doc::Value* spec = node.Find("spec")) n.pod_cidrs = CidrList(spec->Find("podCIDRs"));
  const doc::Value* st = node.Find("status");
  const doc::Value* addrs = st ? st->Find("addresses") : nullptr;
  if (addrs && addrs->is_list()) {
    for (const doc::Value& a : addrs->as_list()) {
      if (api::StringField(a, "type") != "InternalIP") continue;
      if (auto ip = model::IpAddress::Parse(api::StringField(a, "address"))) {
        n.underlay.push_back(*ip);
      }
    }
  }
  return n;
}

void ClusterView::Start() {
  LoadPersisted();
  loop_.Start([this] { Run(); });
}

void ClusterView::Stop() {
  loop_.Stop();
}

ViewSnapshot ClusterView::Snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

void ClusterView::Replace(ViewSnapshot next) {
  bool changed;
  {
    std::lock_guard lock(mu_);
    changed = next.nodes.size() != snap_.nodes.size() || next.node_labels != snap_.node_labels ||
              next.facts.cluster_cidrs != snap_.facts.cluster_cidrs ||
              next.facts.service_cidrs != snap_.facts.service_cidrs ||
              next.facts.extra_internal != snap_.facts.extra_internal ||
              next.from_controller != snap_.from_controller;
    for (const auto& [name, n] : next.nodes) {
      auto it = snap_.nodes.find(name);
      changed |= it == snap_.nodes.end() || !SameNode(it->second, n);
    }
    snap_ = std::move(next);
  }
  if (!changed) return;
  if (Status st = Persist(Snapshot()); !st.ok()) {
    EGRET_LOG(kWarn, "agent") << "cannot persist the cluster view: " << st.message();
  }
  if (on_change_) on_change_();
}

void ClusterView::Run() {
  milliseconds backoff(100);
  while (!loop_.stopping()) {
    Status st = Follow();
    if (loop_.stopping()) return;
    EGRET_LOG(kInfo, "agent") << "cluster view: " << st.message() << "; retrying";
    // Doubling up to 2 s; ends at once on Stop().
    loop_.WaitFor(backoff);
    backoff = std::min(backoff * 2, milliseconds(2000));
  }
}

Status ClusterView::Follow() {
  ViewSnapshot next;
  int64_t from = 0;
  {  // The list connection closes at the end of this block; the watch uses its own.
    ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(server_, token_));
    doc::Value info_req = doc::Value::EmptyMap();
    info_req.Set("op", "clusterInfo");
    ASSIGN_OR_RETURN(doc::Value info, client.Call(info_req));
    ASSIGN_OR_RETURN(doc::Value list, client.List("Node", ""));
    next.facts = FactsOf(info);
    next.from_controller = true;
    if (const doc::Value* items = list.Find("items"); items && items->is_list()) {
      for (const doc::Value& item : items->as_list()) {
        core::netplan::NodeNet n = NodeNetOf(item);
        next.node_labels[n.name] = LabelsOf(item);
        next.nodes[n.name] = std::move(n);
      }
    }
    from = ParseInt(api::StringField(list, "resourceVersion")).value_or(0);
  }
  Replace(next);
  ASSIGN_OR_RETURN(api::Client watch_client, api::Client::Connect(server_, token_));
  ASSIGN_OR_RETURN(api::WatchSession watch, api::Client::Watch(std::move(watch_client), "Node", from));
  auto last_frame = std::chrono::steady_clock::now();
  while (!loop_.stopping()) {
    auto ev = watch.Next(milliseconds(500));
    if (!ev.ok()) {
      if (ev.status().code() != Code::kDeadlineExceeded) return ev.status();
      // The controller sends a bookmark at least every 5 s; silence means a dead peer or a
      // half-open connection: reconnect rather than keep a stale view.
      if (std::chrono::steady_clock::now() - last_frame > kWatchSilence) {
        return UnavailableError("no word from the controller for 15 s");
      }
      continue;
    }
    last_frame = std::chrono::steady_clock::now();
    std::string type = api::StringField(*ev, "type");
    const doc::Value* obj = ev->Find("object");
    if (!obj || type == "BOOKMARK") continue;
    ViewSnapshot updated = Snapshot();
    core::netplan::NodeNet n = NodeNetOf(*obj);
    if (type == "DELETED") {
      updated.nodes.erase(n.name);
      updated.node_labels.erase(n.name);
    } else {
      updated.node_labels[n.name] = LabelsOf(*obj);
      updated.nodes[n.name] = std::move(n);
    }
    Replace(std::move(updated));
  }
  return Status::Ok();
}

Status ClusterView::Persist(const ViewSnapshot& s) const {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("facts", FactsValue(s.facts));
  doc::Value& nodes = v.Set("nodes", doc::Value::EmptyList());
  for (const auto& [name, n] : s.nodes) {
    doc::Value node = doc::Value::EmptyMap();
    node.Set("name", name);
    doc::Value& ul = node.Set("underlay", doc::Value::EmptyList());
    for (const model::IpAddress& ip : n.underlay) ul.Append(ip.ToString());
    node.Set("podCIDRs", CidrValues(n.pod_cidrs));
    auto labels = s.node_labels.find(name);
    doc::Value& lv = node.Set("labels", doc::Value::EmptyMap());
    if (labels != s.node_labels.end()) {
      for (const auto& [k, val] : labels->second) lv.Set(k, val);
    }
    nodes.Append(std::move(node));
  }
  return WriteFileAtomic(state_path_, doc::ToJson(v, {.pretty = true}));
}

void ClusterView::LoadPersisted() {
  auto text = ReadFile(state_path_);
  if (!text.ok()) {
    if (text.status().code() != Code::kNotFound) {
      EGRET_LOG(kWarn, "agent") << "ignoring " << text.status().message();
    }
    return;
  }
  auto v = doc::ParseJson(*text);
  if (!v.ok()) {
    EGRET_LOG(kWarn, "agent") << "ignoring unreadable " << state_path_ << ": " << v.status().message();
    return;
  }
  ViewSnapshot s;
  if (const doc::Value* facts = v->Find("facts")) s.facts = FactsOf(*facts);
  if (const doc::Value* nodes = v->Find("nodes"); nodes && nodes->is_list()) {
    for (const doc::Value& node : nodes->as_list()) {
      core::netplan::NodeNet nn;
      nn.name = api::StringField(node, "name");
      if (const doc::Value* ul = node.Find("underlay"); ul && ul->is_list()) {
        for (const doc::Value& ip : ul->as_list()) {
          if (ip.is_string()) {
            if (auto a = model::IpAddress::Parse(ip.as_string())) nn.underlay.push_back(*a);
          }
        }
      }
      nn.pod_cidrs = CidrList(node.Find("podCIDRs"));
      if (const doc::Value* labels = node.Find("labels"); labels && labels->is_map()) {
        for (const doc::Member& m : labels->as_map()) {
          if (m.value.is_string()) s.node_labels[nn.name][m.key] = m.value.as_string();
        }
      }
      s.nodes[nn.name] = std::move(nn);
    }
  }
  std::lock_guard lock(mu_);
  snap_ = std::move(s);
  EGRET_LOG(kInfo, "agent") << "loaded the last cluster view (" << snap_.nodes.size()
                            << " nodes) from " << state_path_;
}

}  // namespace egret::agent
