// Fixtures shared by the netpol tests (header-only: the folder's *.cc files build the library).
//
// The conformance model of the upstream NetworkPolicy suite: namespaces x, y, z (labels
// ns=<name>, kubernetes.io/metadata.name=<name>), pods a, b, c in each (label pod=<name>), each
// serving TCP, UDP and SCTP on ports 80 and 81 under the names serve-80-tcp, serve-81-udp, ...
// Pod k (x/a = 0 ... z/c = 8) runs on node n<k%3+1> with addresses 10.244.<node>.<10+k> and
// fd00:244:<node>::<10+k>. Nodes n1-n3 have 172.18.0.<i> and fc00:18::<i>.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/netpol/cluster.h"
#include "core/netpol/compile.h"
#include "core/netpol/evaluate.h"
#include "doc/yaml.h"
#include "model/field_errors.h"

namespace egret::core::netpol::testing {

inline constexpr std::array<std::string_view, 3> kNamespaces = {"x", "y", "z"};
inline constexpr std::array<std::string_view, 3> kPodNames = {"a", "b", "c"};
inline constexpr std::array<std::string_view, 3> kNodes = {"n1", "n2", "n3"};

inline model::IpAddress Ip(std::string_view text) {
  auto ip = model::IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(model::IpAddress());
}

inline model::Cidr Net(std::string_view text) {
  auto c = model::Cidr::Parse(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(model::Cidr());
}

inline model::ContainerPort Port(std::string name, int number, model::Protocol proto) {
  model::ContainerPort p;
  p.name = std::move(name);
  p.container_port = number;
  p.protocol = proto;
  return p;
}

inline model::Pod MakePod(std::string ns, std::string name, std::string node,
                          std::vector<model::IpAddress> ips, Labels labels = {},
                          std::vector<model::ContainerPort> ports = {}) {
  model::Pod pod;
  pod.metadata.namespace_ = std::move(ns);
  pod.metadata.name = std::move(name);
  pod.metadata.labels = std::move(labels);
  pod.spec.node_name = std::move(node);
  model::Container c;
  c.name = "main";
  c.ports = std::move(ports);
  pod.spec.containers.push_back(std::move(c));
  pod.status.phase = model::PodPhase::kRunning;
  pod.status.pod_ips = std::move(ips);
  return pod;
}

inline model::Namespace MakeNamespace(std::string name, Labels labels) {
  model::Namespace ns;
  ns.metadata.name = std::move(name);
  ns.metadata.labels = std::move(labels);
  ns.phase = "Active";
  return ns;
}

inline std::vector<model::ContainerPort> ServePorts() {
  std::vector<model::ContainerPort> out;
  for (int port : {80, 81}) {
    out.push_back(Port("serve-" + std::to_string(port) + "-tcp", port, model::Protocol::kTCP));
    out.push_back(Port("serve-" + std::to_string(port) + "-udp", port, model::Protocol::kUDP));
    out.push_back(Port("serve-" + std::to_string(port) + "-sctp", port, model::Protocol::kSCTP));
  }
  return out;
}

inline std::string ModelV4(int k) {
  return "10.244." + std::to_string(k % 3 + 1) + "." + std::to_string(10 + k);
}
inline std::string ModelV6(int k) {
  return "fd00:244:" + std::to_string(k % 3 + 1) + "::" + std::to_string(10 + k);
}

inline PolicyCluster ConformanceCluster() {
  PolicyCluster c;
  for (int i = 0; i < 3; ++i) {
    model::Node node;
    node.metadata.name = std::string(kNodes[i]);
    node.metadata.labels = {{"kubernetes.io/hostname", node.metadata.name}};
    node.status.addresses = {
        {model::NodeAddressType::kInternalIP, "172.18.0." + std::to_string(i + 1)},
        {model::NodeAddressType::kInternalIP, "fc00:18::" + std::to_string(i + 1)}};
    c.nodes.push_back(node);
  }
  int k = 0;
  for (std::string_view ns : kNamespaces) {
    c.namespaces.push_back(
        MakeNamespace(std::string(ns),
                      {{"ns", std::string(ns)}, {"kubernetes.io/metadata.name", std::string(ns)}}));
    for (std::string_view name : kPodNames) {
      c.pods.push_back(MakePod(std::string(ns), std::string(name), std::string(kNodes[k % 3]),
                               {Ip(ModelV4(k)), Ip(ModelV6(k))}, {{"pod", std::string(name)}},
                               ServePorts()));
      ++k;
    }
  }
  return c;
}

// Decodes every document of `yaml` (NetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) into `cluster`; decoding errors fail the test.
inline void AddPolicies(PolicyCluster* cluster, std::string_view yaml) {
  StatusOr<std::vector<doc::Value>> docs = doc::ParseYaml(yaml);
  ASSERT_TRUE(docs.ok()) << docs.status().ToString() << "\n" << yaml;
  for (const doc::Value& d : *docs) {
    const doc::Value* kind = d.Find("kind");
    ASSERT_TRUE(kind != nullptr && kind->is_string()) << yaml;
    model::FieldErrors errs;
    if (kind->as_string() == "NetworkPolicy") {
      cluster->network_policies.push_back(model::DecodeNetworkPolicy(d, &errs));
    } else if (kind->as_string() == "AdminNetworkPolicy") {
      cluster->admin_policies.push_back(model::DecodeAdminNetworkPolicy(d, &errs));
    } else if (kind->as_string() == "BaselineAdminNetworkPolicy") {
      cluster->baseline = model::DecodeBaselineAdminNetworkPolicy(d, &errs);
    } else {
      FAIL() << "unexpected kind " << kind->as_string();
    }
    ASSERT_TRUE(errs.empty()) << errs.ToStatus(kind->as_string(), "", "").ToString() << "\n"
                              << yaml;
  }
}

// The model pod's address in family f ("x/a" -> 10.244.1.10).
inline model::IpAddress ModelIp(std::string_view pod, model::Family f) {
  int ns = static_cast<int>(pod[0] - 'x');
  int k = ns * 3 + static_cast<int>(pod[2] - 'a');
  return Ip(f == model::Family::kV4 ? ModelV4(k) : ModelV6(k));
}

// The evaluator's 9x9 matrix for one protocol, port and family: one row per source pod
// ("x/a ... XXX ..."), columns the destinations x/a x/b x/c, y/a ..., '.' allowed, 'X' denied.
inline std::string EvaluatorMatrix(const PolicyCluster& c, model::Protocol proto, uint16_t port,
                                   model::Family f = model::Family::kV4) {
  std::string out;
  for (int from = 0; from < 9; ++from) {
    std::string src = std::string(kNamespaces[from / 3]) + "/" + std::string(kPodNames[from % 3]);
    out += src;
    for (int to = 0; to < 9; ++to) {
      if (to % 3 == 0) out += ' ';
      std::string dst = std::string(kNamespaces[to / 3]) + "/" + std::string(kPodNames[to % 3]);
      Connection conn{ModelIp(src, f), ModelIp(dst, f), proto, port};
      out += Allowed(c, conn).allowed ? '.' : 'X';
    }
    out += '\n';
  }
  return out;
}

// Every node's compiled state.
inline std::vector<NodePolicyState> CompileAll(const PolicyCluster& c) {
  PolicyCompiler compiler(c);
  std::vector<NodePolicyState> out;
  for (std::string_view node : kNodes) out.push_back(compiler.CompileNode(node));
  return out;
}

}  // namespace egret::core::netpol::testing
