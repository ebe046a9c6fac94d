// The synthetic cluster of the controller compute benchmark (netpol_compute.cc): namespaces,
// nodes, pods and NetworkPolicies with the label, port and selector shapes of real clusters,
// generated deterministically from a seed. Objects are handed to a sink one at a time, so the
// benchmark can keep them in their stored (JSON) form only, as the controller's store does.
//
// Shapes (docs/reference/bench.md, "netpol_compute"):
//   namespaces  ns-00000 is kube-system (the DNS pods); every namespace has
//               kubernetes.io/metadata.name, a team (100 teams), an env (prod / staging / dev)
//               and sometimes istio-injection.
//   pods        spread over namespaces with a skew (a few large namespaces, many small ones) and
//               round over nodes at random; labels app, role, version and pod-template-hash;
//               container ports http 8080, metrics 9090 and, by role, postgres 5432 or grpc
//               50051. One IPv4 address each, from the node's block.
//   policies    about three per namespace: a default deny (or allow-within-namespace), an
//               app's ingress from same-namespace frontends and from another team's gateways
//               (named and numbered ports, sometimes an ipBlock with except), and an app's
//               egress to DNS, to the namespace's databases (named port) and to the internet
//               except private ranges (sometimes to namespaces chosen by expressions).
#pragma once

#include <cstdint>
#include <string>

#include "model/namespace.h"
#include "model/network_policy.h"
#include "model/node.h"
#include "model/pod.h"

namespace egret::bench {

struct GenOptions {
  int namespaces = 25000;
  int pods = 100000;
  int policies = 75000;
  int nodes = 100;
  uint64_t seed = 1;
};

// Receives the generated objects, each exactly once, in kind order: namespaces, nodes, pods,
// policies.
class ClusterSink {
 public:
  virtual ~ClusterSink() = default;
  virtual void Add(model::Namespace ns) = 0;
  virtual void Add(model::Node node) = 0;
  virtual void Add(model::Pod pod) = 0;
  virtual void Add(model::NetworkPolicy np) = 0;
};

// The same options and seed give the same objects, on every platform.
void GenerateCluster(const GenOptions& opts, ClusterSink* sink);

// The name of node `i` (0-based): "node-007".
std::string NodeName(int i);

}  // namespace egret::bench
