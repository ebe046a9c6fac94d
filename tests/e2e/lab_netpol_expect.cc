// egret-netpol-expect: the truth table of a lab under a set of policies, from the reference
// evaluator (core/netpol/evaluate.h), in the shape `egret lab probe-matrix -o json` prints:
//   {"x/a": {"x/a": true, "x/b": false, ...}, ...}
// The lab e2e test compares the two. The cluster is the lab's (`egret lab status -o json`:
// pods with their nodes, addresses and served ports; nodes with their addresses and labels)
// with the conformance model's labels: namespace N has ns=N and kubernetes.io/metadata.name=N,
// pod P has pod=P, unless --ns-labels / --pod-labels say otherwise. A pod probing itself goes
// over its loopback, never through the datapath: the diagonal is always true.
//
// Usage: egret-netpol-expect --status FILE --proto tcp|udp --port N [--family 4|6]
//          [--ns-labels NS=k=v,k=v]... [--pod-labels NS/POD=k=v,k=v]... [POLICY.yaml]...
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/strings.h"
#include "core/netpol/evaluate.h"
#include "doc/json.h"
#include "doc/yaml.h"
#include "model/field_errors.h"

namespace {

using egret::core::netpol::Labels;
using egret::core::netpol::PolicyCluster;
namespace model = egret::model;
namespace doc = egret::doc;

int Die(const std::string& why) {
  std::fprintf(stderr, "egret-netpol-expect: %s\n", why.c_str());
  return 2;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "k=v,k=v" ("" for none).
Labels ParseLabels(std::string_view text) {
  Labels out;
  for (std::string_view kv : egret::Split(text, ',')) {
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) out[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  return out;
}

std::string Str(const doc::Value& v, std::string_view key) {
  const doc::Value* f = v.Find(key);
  return f && f->is_string() ? f->as_string() : "";
}

// "tcp:80=serve-80-tcp" -> a container port.
std::optional<model::ContainerPort> ServePort(const std::string& text) {
  size_t colon = text.find(':'), eq = text.find('=');
  if (colon == std::string::npos) return std::nullopt;
  model::ContainerPort p;
  std::string proto = text.substr(0, colon);
  p.protocol = proto == "udp" ? model::Protocol::kUDP : model::Protocol::kTCP;
  auto num = egret::ParseInt(text.substr(colon + 1, eq == std::string::npos ? eq : eq - colon - 1));
  if (!num) return std::nullopt;
  p.container_port = static_cast<int>(*num);
  if (eq != std::string::npos) p.name = text.substr(eq + 1);
  return p;
}

void AddLabFromStatus(const doc::Value& status, const std::map<std::string, Labels>& ns_labels,
                      const std::map<std::string, Labels>& pod_labels, PolicyCluster* c) {
  std::map<std::string, bool> namespaces;
  if (const doc::Value* pods = status.Find("pods"); pods && pods->is_list()) {
    for (const doc::Value& p : pods->as_list()) {
      model::Pod pod;
      pod.metadata.namespace_ = Str(p, "namespace");
      pod.metadata.name = Str(p, "name");
      std::string key = pod.metadata.namespace_ + "/" + pod.metadata.name;
      auto labels = pod_labels.find(key);
      pod.metadata.labels =
          labels != pod_labels.end() ? labels->second : Labels{{"pod", pod.metadata.name}};
      pod.spec.node_name = Str(p, "node");
      model::Container container;
      container.name = "probe";
      if (const doc::Value* serve = p.Find("serve"); serve && serve->is_list()) {
        for (const doc::Value& s : serve->as_list()) {
          if (auto port = s.is_string() ? ServePort(s.as_string()) : std::nullopt) {
            container.ports.push_back(*port);
          }
        }
      }
      pod.spec.containers.push_back(container);
      pod.status.phase = model::PodPhase::kRunning;
      if (const doc::Value* ips = p.Find("addresses"); ips && ips->is_list()) {
        for (const doc::Value& ip : ips->as_list()) {
          if (auto parsed = model::IpAddress::Parse(ip.as_string())) {
            pod.status.pod_ips.push_back(*parsed);
          }
        }
      }
      namespaces[pod.metadata.namespace_] = true;
      c->pods.push_back(std::move(pod));
    }
  }
  for (const auto& [name, unused] : namespaces) {
    model::Namespace ns;
    ns.metadata.name = name;
    auto labels = ns_labels.find(name);
    ns.metadata.labels = labels != ns_labels.end()
                             ? labels->second
                             : Labels{{"ns", name}, {"kubernetes.io/metadata.name", name}};
    c->namespaces.push_back(std::move(ns));
  }
  if (const doc::Value* nodes = status.Find("nodes"); nodes && nodes->is_list()) {
    for (const doc::Value& n : nodes->as_list()) {
      model::Node node;
      node.metadata.name = Str(n, "name");
      if (const doc::Value* labels = n.Find("labels"); labels && labels->is_map()) {
        for (const doc::Member& m : labels->as_map()) {
          if (m.value.is_string()) node.metadata.labels[m.key] = m.value.as_string();
        }
      }
      if (const doc::Value* ips = n.Find("addresses"); ips && ips->is_list()) {
        for (const doc::Value& ip : ips->as_list()) {
          node.status.addresses.push_back({model::NodeAddressType::kInternalIP, ip.as_string()});
        }
      }
      c->nodes.push_back(std::move(node));
    }
  }
}

std::string AddPolicies(const std::string& yaml, PolicyCluster* c) {
  auto docs = doc::ParseYaml(yaml);
  if (!docs.ok()) return docs.status().message();
  for (const doc::Value& d : *docs) {
    std::string kind = Str(d, "kind");
    model::FieldErrors errs;
    if (kind == "NetworkPolicy") {
      c->network_policies.push_back(model::DecodeNetworkPolicy(d, &errs));
    } else if (kind == "AdminNetworkPolicy") {
      c->admin_policies.push_back(model::DecodeAdminNetworkPolicy(d, &errs));
    } else if (kind == "BaselineAdminNetworkPolicy") {
      c->baseline = model::DecodeBaselineAdminNetworkPolicy(d, &errs);
    } else if (!kind.empty()) {
      return "unexpected kind " + kind;
    }
    if (!errs.empty()) return errs.ToStatus(kind, "", "").message();
  }
  return "";
}

std::optional<model::IpAddress> AddressOf(const model::Pod& pod, int family) {
  for (const model::IpAddress& ip : pod.status.pod_ips) {
    if (family == 0 || (family == 4) == ip.is_v4()) return ip;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  std::string status_path, proto = "tcp";
  int port = 80, family = 0;
  std::map<std::string, Labels> ns_labels, pod_labels;
  std::vector<std::string> policies;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    auto split_at = [](const std::string& v) {
      size_t eq = v.find('=');
      return std::make_pair(v.substr(0, eq), eq == std::string::npos ? "" : v.substr(eq + 1));
    };
    if (a == "--status") {
      status_path = next();
    } else if (a == "--proto") {
      proto = next();
    } else if (a == "--port") {
      port = std::atoi(next().c_str());
    } else if (a == "--family") {
      family = std::atoi(next().c_str());
    } else if (a == "--ns-labels") {
      auto [ns, labels] = split_at(next());
      ns_labels[ns] = ParseLabels(labels);
    } else if (a == "--pod-labels") {
      auto [pod, labels] = split_at(next());
      pod_labels[pod] = ParseLabels(labels);
    } else {
      policies.push_back(a);
    }
  }
  auto status = doc::ParseJson(Slurp(status_path));
  if (!status.ok()) return Die("--status " + status_path + ": " + status.status().message());
  PolicyCluster cluster;
  AddLabFromStatus(*status, ns_labels, pod_labels, &cluster);
  for (const std::string& p : policies) {
    if (std::string err = AddPolicies(Slurp(p), &cluster); !err.empty()) return Die(p + ": " + err);
  }
  model::Protocol protocol = proto == "udp" ? model::Protocol::kUDP : model::Protocol::kTCP;
  doc::Value out = doc::Value::EmptyMap();
  for (const model::Pod& from : cluster.pods) {
    doc::Value& row =
        out.Set(from.metadata.namespace_ + "/" + from.metadata.name, doc::Value::EmptyMap());
    for (const model::Pod& to : cluster.pods) {
      std::string to_key = to.metadata.namespace_ + "/" + to.metadata.name;
      // Without --family a probe goes to TO's first address, from FROM's address of that family.
      auto dst = AddressOf(to, family);
      auto src = AddressOf(from, family ? family : dst && dst->is_v4() ? 4 : 6);
      bool allowed = &from == &to;
      if (!allowed && src && dst) {
        egret::core::netpol::Connection conn{*src, *dst, protocol, static_cast<uint16_t>(port)};
        allowed = egret::core::netpol::Allowed(cluster, conn).allowed;
      }
      row.Set(to_key, allowed);
    }
  }
  std::cout << doc::ToJson(out) << "\n";
  return 0;
}
