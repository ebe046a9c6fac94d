#include "lab/lab_api.h"

#include <thread>

#include "common/strings.h"
#include "model/protocol.h"

namespace egret::lab {
namespace {

constexpr int kLabelWriteAttempts = 5;

doc::Value LabelsValue(const Labels& labels) {
  doc::Value v = doc::Value::EmptyMap();
  for (const auto& [k, val] : labels) v.Set(k, val);
  return v;
}

doc::Value Metadata(const std::string& name, const std::string& ns, const Labels& labels) {
  doc::Value md = doc::Value::EmptyMap();
  md.Set("name", name);
  if (!ns.empty()) md.Set("namespace", ns);
  if (!labels.empty()) md.Set("labels", LabelsValue(labels));
  return md;
}

}  // namespace

doc::Value NamespaceDocument(const std::string& name, const Labels& labels) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("apiVersion", "v1");
  v.Set("kind", "Namespace");
  v.Set("metadata", Metadata(name, "", labels));
  return v;
}

doc::Value PodDocument(const PodRef& ref, const std::string& node, const Labels& labels,
                       const std::vector<ServePort>& serve) {
  doc::Value container = doc::Value::EmptyMap();
  container.Set("name", "probe");
  if (!serve.empty()) {
    doc::Value& ports = container.Set("ports", doc::Value::EmptyList());
    for (const ServePort& p : serve) {
      doc::Value& port = ports.Append(doc::Value::EmptyMap());
      if (!p.name.empty()) port.Set("name", p.name);
      port.Set("containerPort", p.port);
      port.Set("protocol", model::ProtocolName(p.protocol));
    }
  }
  doc::Value spec = doc::Value::EmptyMap();
  spec.Set("nodeName", node);
  spec.Set("containers", doc::List{std::move(container)});
  doc::Value v = doc::Value::EmptyMap();
  v.Set("apiVersion", "v1");
  v.Set("kind", "Pod");
  v.Set("metadata", Metadata(ref.name, ref.ns, labels));
  v.Set("spec", std::move(spec));
  return v;
}

doc::Value PodStatusDocument(const std::vector<model::IpAddress>& pod_ips,
                             std::optional<model::IpAddress> host_ip) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("phase", "Running");
  if (host_ip) v.Set("hostIP", host_ip->ToString());
  if (!pod_ips.empty()) {
    v.Set("podIP", pod_ips.front().ToString());
    doc::Value& ips = v.Set("podIPs", doc::Value::EmptyList());
    for (const model::IpAddress& ip : pod_ips) {
      doc::Value& item = ips.Append(doc::Value::EmptyMap());
      item.Set("ip", ip.ToString());
    }
  }
  return v;
}

StatusOr<api::Client> ConnectLab(const LabPaths& paths) {
  api::Address addr;
  addr.type = api::Address::Type::kUnix;
  addr.path = paths.ApiSocket();
  auto client = api::Client::Connect(addr);
  if (!client.ok()) {
    return UnavailableError("cannot reach the lab's controller at unix:" + paths.ApiSocket() +
                            " (" + client.status().message() + "); see " + paths.Log("controller"));
  }
  return client;
}

Status CreateObject(api::Client& client, const doc::Value& object, std::string_view kind,
                    const std::string& ns, const std::string& name) {
  auto existing = client.Get(std::string(kind), ns, name);
  if (existing.ok()) {
    return AlreadyExistsError(std::string(kind) + " " + Quote(ns.empty() ? name : ns + "/" + name) +
                              " already exists");
  }
  if (existing.status().code() != Code::kNotFound) return existing.status();
  auto applied = client.Apply({object}, ns);
  return applied.ok() ? Status::Ok() : applied.status();
}

Status ReplaceLabels(api::Client& client, const std::string& kind, const std::string& ns,
                     const std::string& name, const Labels& labels) {
  Status last;
  for (int attempt = 0; attempt < kLabelWriteAttempts; ++attempt) {
    ASSIGN_OR_RETURN(doc::Value obj, client.Get(kind, ns, name));
    doc::Value* md = obj.Find("metadata");
    if (!md || !md->is_map()) return InternalError(kind + " " + Quote(name) + " has no metadata");
    if (labels.empty()) {
      md->Erase("labels");
    } else {
      md->Set("labels", LabelsValue(labels));
    }
    // The object carries metadata.resourceVersion: the write fails if it changed meanwhile.
    auto applied = client.Apply({obj}, ns);
    if (applied.ok()) return Status::Ok();
    last = applied.status();
    if (last.code() != Code::kConflict) return last;
  }
  return last;
}

Status WaitForApi(const LabPaths& paths, const std::function<bool()>& alive,
                  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  Status last = UnavailableError("not tried");
  while (std::chrono::steady_clock::now() < deadline) {
    if (!alive()) return UnavailableError("the controller exited; see " + paths.Log("controller"));
    auto client = ConnectLab(paths);
    if (client.ok()) {
      doc::Value req = doc::Value::EmptyMap();
      req.Set("op", "version");
      auto reply = client->Call(req);
      if (reply.ok()) return Status::Ok();
      last = reply.status();
    } else {
      last = client.status();
    }
    // The controller gives no other readiness signal than answering.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return DeadlineExceededError("the controller did not answer within " +
                               std::to_string(timeout.count() / 1000) + " s (" + last.message() +
                               ")");
}

StatusOr<NodeInfo> GetNodeInfo(api::Client& client, const std::string& node) {
  NodeInfo info;
  auto obj = client.Get("Node", "", node);
  if (!obj.ok()) {
    if (obj.status().code() == Code::kNotFound) return info;
    return obj.status();
  }
  info.found = true;
  if (const doc::Value* md = obj->Find("metadata")) {
    if (const doc::Value* labels = md->Find("labels"); labels && labels->is_map()) {
      for (const doc::Member& m : labels->as_map()) {
        if (m.value.is_string()) info.labels[m.key] = m.value.as_string();
      }
    }
  }
  if (const doc::Value* spec = obj->Find("spec")) {
    if (const doc::Value* cidrs = spec->Find("podCIDRs"); cidrs && cidrs->is_list()) {
      for (const doc::Value& c : cidrs->as_list()) {
        if (c.is_string()) info.pod_cidrs.push_back(c.as_string());
      }
    }
  }
  return info;
}

}  // namespace egret::lab
