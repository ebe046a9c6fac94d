#include "bench/netpol_compute_gen.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace egret::bench {
namespace {

using model::LabelRequirement;
using model::LabelSelector;
using model::NetworkPolicy;
using model::NetworkPolicyPort;
using model::NetworkPolicyRule;
using model::Protocol;
using model::SelectorPeer;

// splitmix64: tiny, fast and the same everywhere (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Percent(int p) { return Below(100) < p; }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }

 private:
  uint64_t s_;
};

constexpr std::array<const char*, 6> kRoles = {"frontend", "backend", "db",
                                               "cache",    "worker",  "gateway"};
constexpr int kTeams = 100;
constexpr int kDnsPods = 20;

std::string Printf(const char* fmt, int v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string NamespaceName(int k) { return k == 0 ? "kube-system" : Printf("ns-%05d", k); }
std::string Team(int t) { return Printf("team-%d", t); }
std::string App(int a) { return Printf("app-%d", a); }

model::Cidr CidrOf(const std::string& text) { return model::Cidr::Parse(text).value(); }

LabelSelector Labels(std::map<std::string, std::string> m) {
  return LabelSelector{std::move(m), {}};
}

model::ContainerPort Port(std::string name, int number, Protocol proto) {
  model::ContainerPort p;
  p.name = std::move(name);
  p.container_port = number;
  p.protocol = proto;
  return p;
}

NetworkPolicyPort NumberPort(Protocol proto, uint16_t port, std::optional<uint16_t> end = {}) {
  return NetworkPolicyPort{proto, port, std::nullopt, end};
}
NetworkPolicyPort NamedPort(std::string name) {
  return NetworkPolicyPort{Protocol::kTCP, std::nullopt, std::move(name), std::nullopt};
}

model::Namespace MakeNamespace(int k, Rng* rng) {
  model::Namespace ns;
  ns.metadata.name = NamespaceName(k);
  static constexpr std::array<const char*, 3> kEnvs = {"prod", "staging", "dev"};
  int e = rng->Below(10);
  ns.metadata.labels = {{"kubernetes.io/metadata.name", ns.metadata.name},
                        {"team", Team(rng->Below(kTeams))},
                        {"env", kEnvs[e < 5   ? 0
                                      : e < 8 ? 1
                                              : 2]}};
  if (rng->Percent(30)) ns.metadata.labels["istio-injection"] = "enabled";
  ns.phase = "Active";
  return ns;
}

model::Node MakeNode(int i) {
  model::Node node;
  node.metadata.name = NodeName(i);
  node.metadata.labels = {{"kubernetes.io/hostname", node.metadata.name},
                          {"topology.kubernetes.io/zone", Printf("zone-%d", i % 3)}};
  node.status.addresses = {
      {model::NodeAddressType::kInternalIP,
       "172.16." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)}};
  return node;
}

// Pod `i`: the first kDnsPods are kube-system's DNS pods; the others land in namespace
// floor(N * u^2) - many in the first namespaces, few in the last.
model::Pod MakePod(int i, const GenOptions& opts, Rng* rng) {
  model::Pod pod;
  model::Container c;
  c.name = "main";
  bool dns = i < kDnsPods;
  int ns = dns ? 0 : static_cast<int>(opts.namespaces * rng->Unit() * rng->Unit());
  if (dns) {
    pod.metadata.labels = {{"k8s-app", "kube-dns"}};
    c.ports = {Port("dns", 53, Protocol::kUDP), Port("dns-tcp", 53, Protocol::kTCP)};
  } else {
    int a = rng->Below(static_cast<int>(kRoles.size()));
    char hash[16];
    std::snprintf(hash, sizeof hash, "%010llx",
                  static_cast<unsigned long long>(rng->Next() & 0xffffffffffull));
    pod.metadata.labels = {{"app", App(a)},
                           {"role", kRoles[a]},
                           {"version", rng->Percent(80) ? "v1" : "v2"},
                           {"pod-template-hash", hash}};
    c.ports = {Port("http", 8080, Protocol::kTCP), Port("metrics", 9090, Protocol::kTCP)};
    if (a == 2) c.ports.push_back(Port("postgres", 5432, Protocol::kTCP));
    if (a == 5) c.ports.push_back(Port("grpc", 50051, Protocol::kTCP));
  }
  pod.metadata.namespace_ = NamespaceName(std::min(ns, opts.namespaces - 1));
  pod.metadata.name =
      (dns ? std::string("coredns") : pod.metadata.labels["app"]) + Printf("-%06d", i);
  pod.spec.node_name = NodeName(rng->Below(opts.nodes));
  pod.spec.containers.push_back(std::move(c));
  pod.status.phase = model::PodPhase::kRunning;
  // 10.0.1.0 onwards, one address per pod (the compiler never looks at node blocks).
  pod.status.pod_ips = {model::IpAddress::V4(0x0a000100u + static_cast<uint32_t>(i))};
  return pod;
}

NetworkPolicy BaseLine(NetworkPolicy np, Rng* rng) {
  if (rng->Percent(60)) {  // default deny ingress
    np.metadata.name = "default-deny" + np.metadata.name;
    np.spec.policy_types = {model::PolicyType::kIngress};
    return np;
  }
  np.metadata.name = "allow-same-namespace" + np.metadata.name;  // from every pod of it
  np.spec.ingress.push_back(NetworkPolicyRule{{SelectorPeer{std::nullopt, LabelSelector{}}}, {}});
  np.spec.policy_types = {model::PolicyType::kIngress};
  return np;
}

NetworkPolicy AppIngress(NetworkPolicy np, Rng* rng) {
  int a = rng->Below(static_cast<int>(kRoles.size()));
  np.metadata.name = App(a) + "-ingress" + np.metadata.name;
  np.spec.pod_selector = Labels({{"app", App(a)}});
  np.spec.ingress.push_back(
      {{SelectorPeer{std::nullopt, Labels({{"role", "frontend"}})}}, {NamedPort("http")}});
  np.spec.ingress.push_back(
      {{SelectorPeer{Labels({{"team", Team(rng->Below(kTeams))}}), Labels({{"role", "gateway"}})}},
       {NumberPort(Protocol::kTCP, 8080), NumberPort(Protocol::kTCP, 9000, 9100)}});
  if (rng->Percent(30)) {
    model::IpBlock block{CidrOf("10.200.0.0/16"),
                         {CidrOf("10.200." + std::to_string(rng->Below(256)) + ".0/24")}};
    np.spec.ingress.push_back({{block}, {NumberPort(Protocol::kTCP, 8080)}});
  }
  np.spec.policy_types = {model::PolicyType::kIngress};
  return np;
}

NetworkPolicy AppEgress(NetworkPolicy np, Rng* rng) {
  int a = rng->Below(static_cast<int>(kRoles.size()));
  np.metadata.name = App(a) + "-egress" + np.metadata.name;
  np.spec.pod_selector = Labels({{"app", App(a)}});
  np.spec.egress.push_back({{SelectorPeer{Labels({{"kubernetes.io/metadata.name", "kube-system"}}),
                                          Labels({{"k8s-app", "kube-dns"}})}},
                            {NumberPort(Protocol::kUDP, 53), NumberPort(Protocol::kTCP, 53)}});
  np.spec.egress.push_back(
      {{SelectorPeer{std::nullopt, Labels({{"role", "db"}})}}, {NamedPort("postgres")}});
  model::IpBlock internet{
      CidrOf("0.0.0.0/0"),
      {CidrOf("10.0.0.0/8"), CidrOf("172.16.0.0/12"), CidrOf("192.168.0.0/16")}};
  np.spec.egress.push_back({{internet}, {NumberPort(Protocol::kTCP, 443)}});
  if (rng->Percent(25)) {
    LabelSelector envs;
    envs.match_expressions = {
        LabelRequirement{"env", LabelRequirement::Op::kIn, {"prod", "staging"}},
        LabelRequirement{"team",
                         LabelRequirement::Op::kIn,
                         {Team(rng->Below(kTeams)), Team(rng->Below(kTeams))}}};
    np.spec.egress.push_back(
        {{SelectorPeer{envs, std::nullopt}}, {NumberPort(Protocol::kTCP, 8080)}});
  }
  np.spec.policy_types = {model::PolicyType::kEgress};
  return np;
}

// Policy `j`: namespace j mod N; its slot (j div N, mod 3) picks the shape.
NetworkPolicy MakePolicy(int j, const GenOptions& opts, Rng* rng) {
  NetworkPolicy np;
  int round = j / opts.namespaces;
  np.metadata.namespace_ = NamespaceName(j % opts.namespaces);
  np.metadata.name = round < 3 ? "" : "-" + std::to_string(round);
  switch (round % 3) {
    case 0:
      return BaseLine(std::move(np), rng);
    case 1:
      return AppIngress(std::move(np), rng);
    default:
      return AppEgress(std::move(np), rng);
  }
}

}  // namespace

std::string NodeName(int i) { return Printf("node-%03d", i); }

void GenerateCluster(const GenOptions& opts, ClusterSink* sink) {
  Rng rng(opts.seed);
  for (int k = 0; k < opts.namespaces; ++k) sink->Add(MakeNamespace(k, &rng));
  for (int i = 0; i < opts.nodes; ++i) sink->Add(MakeNode(i));
  for (int i = 0; i < opts.pods; ++i) sink->Add(MakePod(i, opts, &rng));
  for (int j = 0; j < opts.policies; ++j) sink->Add(MakePolicy(j, opts, &rng));
}

}  // namespace egret::bench
