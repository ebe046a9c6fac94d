#include "agent/node_registrar.h"

#include "api/client.h"
#include "common/clock.h"
#include "common/log.h"

namespace egret::agent {
void NodeRegistrar::Start() {
  loop_.Start([this] { Run(); });
}

void NodeRegistrar::Stop() {
  loop_.Stop();
}

Status NodeRegistrar::RegisterOnce() {
  ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(server_, token_));
  auto existing = client.Get("Node", "", opts_.node_name);
  if (!existing.ok()) {
    if (existing.status().code() != Code::kNotFound) return existing.status();
    doc::Value node = doc::Value::EmptyMap();
    node.Set("apiVersion", "v1");
    node.Set("kind", "Node");
    doc::Value& md = node.Set("metadata", doc::Value::EmptyMap());
    md.Set("name", opts_.node_name);
    doc::Value& labels = md.Set("labels", doc::Value::EmptyMap());
    labels.Set("kubernetes.io/hostname", opts_.node_name);
    labels.Set("kubernetes.io/os", "linux");
    // resourceVersion "0": create only if still absent, so a Node someone else created in the
    // meantime (with its labels and pod CIDRs) is never overwritten.
    md.Set("resourceVersion", "0");
    auto created = client.Apply({node}, "");
    if (created.ok()) {
      EGRET_LOG(kInfo, "agent") << "registered Node " << opts_.node_name;
    } else if (created.status().code() != Code::kConflict) {
      return created.status();
    }
  }
  doc::Value status = doc::Value::EmptyMap();
  doc::Value& addrs = status.Set("addresses", doc::Value::EmptyList());
  for (const model::IpAddress& ip : opts_.addresses) {
    doc::Value a = doc::Value::EmptyMap();
    a.Set("type", "InternalIP");
    a.Set("address", ip.ToString());
    addrs.Append(std::move(a));
  }
  doc::Value host = doc::Value::EmptyMap();
  host.Set("type", "Hostname");
  host.Set("address", opts_.node_name);
  addrs.Append(std::move(host));
  doc::Value ready = doc::Value::EmptyMap();
  ready.Set("type", "Ready");
  ready.Set("status", "True");
  ready.Set("reason", "EgretAgentReady");
  ready.Set("message", "egret agent is running");
  ready.Set("lastHeartbeatTime", NowRfc3339());
  status.Set("conditions", doc::Value(doc::List{ready}));
  auto put = client.PutStatus("Node", "", opts_.node_name, status);
  return put.ok() ? Status::Ok() : put.status();
}

void NodeRegistrar::Run() {
  while (!loop_.stopping()) {
    Status st = RegisterOnce();
    if (!st.ok()) EGRET_LOG(kDebug, "agent") << "node status: " << st.message();
    // After a failure retry soon; after success wait a heartbeat.
    loop_.WaitFor(st.ok() ? opts_.heartbeat : std::chrono::milliseconds(500));
  }
}

}  // namespace egret::agent
