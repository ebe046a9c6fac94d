// Fixtures shared by the egress tests (header-only: the folder's *.cc files build the library).
// Objects are built as structs, not YAML, so that the scale test stays fast.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/egress/plan.h"
#include "core/egress/steering.h"
#include "model/condition.h"

namespace egret::core::egress::testing {

using Labels = std::map<std::string, std::string>;

inline model::IpAddress Ip(const std::string& text) {
  auto ip = model::IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(model::IpAddress());
}

inline model::Cidr Net(const std::string& text) {
  auto c = model::Cidr::Parse(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(model::Cidr());
}

inline std::vector<model::IpPoolEntry> Pool(const std::vector<std::string>& entries) {
  std::vector<model::IpPoolEntry> out;
  for (const std::string& e : entries) {
    auto entry = model::IpPoolEntry::Parse(e);
    EXPECT_TRUE(entry.has_value()) << e;
    if (entry) out.push_back(*entry);
  }
  return out;
}

inline model::LabelSelector Selector(Labels match) {
  model::LabelSelector s;
  s.match_labels = std::move(match);
  return s;
}

inline model::Node MakeNode(const std::string& name, Labels labels = {{"egress", "true"}},
                            bool ready = true, const std::string& ip = "") {
  model::Node n;
  n.metadata.name = name;
  n.metadata.labels = std::move(labels);
  model::Condition c;
  c.type = "Ready";
  c.status = ready ? model::ConditionStatus::kTrue : model::ConditionStatus::kFalse;
  n.status.conditions.push_back(c);
  if (!ip.empty()) n.status.addresses.push_back({model::NodeAddressType::kInternalIP, ip});
  return n;
}

inline model::EgressGateway MakeGateway(const std::string& name, const std::vector<std::string>& v4,
                                        const std::vector<std::string>& v6 = {},
                                        bool cluster_default = false) {
  model::EgressGateway g;
  g.metadata.name = name;
  g.spec.node_selector = Selector({{"egress", "true"}});
  g.spec.ippools.ipv4 = Pool(v4);
  g.spec.ippools.ipv6 = Pool(v6);
  g.spec.cluster_default = cluster_default;
  return g;
}

// A policy selecting pods by `pod_labels` (every pod when empty), through `gateway`.
inline model::EgressPolicySpec Spec(const std::string& gateway, Labels pod_labels = {},
                                    int priority = 0) {
  model::EgressPolicySpec s;
  s.egress_gateway_name = gateway;
  s.applied_to.pod_selector = Selector(std::move(pod_labels));
  s.priority = priority;
  return s;
}

inline model::EgressPolicy MakePolicy(const std::string& ns, const std::string& name,
                                      model::EgressPolicySpec spec) {
  model::EgressPolicy p;
  p.metadata.namespace_ = ns;
  p.metadata.name = name;
  p.spec = std::move(spec);
  return p;
}

inline model::EgressClusterPolicy MakeClusterPolicy(const std::string& name,
                                                    model::EgressPolicySpec spec) {
  model::EgressClusterPolicy p;
  p.metadata.name = name;
  p.spec = std::move(spec);
  return p;
}

inline model::Namespace MakeNamespace(const std::string& name, Labels labels = {}) {
  model::Namespace ns;
  ns.metadata.name = name;
  ns.metadata.labels = std::move(labels);
  ns.phase = "Active";
  return ns;
}

inline model::Pod MakePod(const std::string& ns, const std::string& name, const std::string& node,
                          const std::vector<std::string>& ips, Labels labels = {}) {
  model::Pod p;
  p.metadata.namespace_ = ns;
  p.metadata.name = name;
  p.metadata.labels = std::move(labels);
  p.spec.node_name = node;
  p.status.phase = model::PodPhase::kRunning;
  for (const std::string& ip : ips) p.status.pod_ips.push_back(Ip(ip));
  return p;
}

// A cluster held in vectors; View() lends it to the functions under test.
struct Cluster {
  std::vector<model::EgressGateway> gateways;
  std::vector<model::EgressPolicy> policies;
  std::vector<model::EgressClusterPolicy> cluster_policies;
  std::vector<model::Namespace> namespaces;
  std::vector<model::Node> nodes;
  std::vector<model::Pod> pods;
  InternalDestinations internal;

  EgressCluster View() const {
    EgressCluster c;
    c.gateways = gateways;
    c.policies = policies;
    c.cluster_policies = cluster_policies;
    c.namespaces = namespaces;
    c.nodes = nodes;
    c.pods = pods;
    c.internal = internal;
    return c;
  }
};

// Three gateway nodes n1-n3 and a worker w1; gateway "gw" (the cluster default, IPv4 pool
// 10.6.1.21-10.6.1.30) over the nodes labelled egress=true; namespaces shop (team=a) and bank
// (team=b); internal: pods 10.244.0.0/16, services 10.96.0.0/12, the node addresses.
inline Cluster StandardCluster() {
  Cluster c;
  c.nodes = {MakeNode("n1", {{"egress", "true"}}, true, "192.168.0.1"),
             MakeNode("n2", {{"egress", "true"}}, true, "192.168.0.2"),
             MakeNode("n3", {{"egress", "true"}}, true, "192.168.0.3"),
             MakeNode("w1", {}, true, "192.168.0.4")};
  c.gateways = {MakeGateway("gw", {"10.6.1.21-10.6.1.30"}, {}, true)};
  c.namespaces = {MakeNamespace("shop", {{"team", "a"}}), MakeNamespace("bank", {{"team", "b"}})};
  c.internal.cluster_pod_cidrs = {Net("10.244.0.0/16")};
  c.internal.service_cidrs = {Net("10.96.0.0/12")};
  c.internal.node_addresses = NodeAddresses(c.nodes);
  return c;
}

inline PolicyId Np(const std::string& ns, const std::string& name) {
  return PolicyId::Namespaced(ns, name);
}
inline PolicyId Cp(const std::string& name) { return PolicyId::Cluster(name); }

inline const PolicyOutcome& Outcome(const EgressPlan& plan, const PolicyId& id) {
  const PolicyOutcome* p = plan.FindPolicy(id);
  EXPECT_NE(p, nullptr) << id.ToString();
  static const PolicyOutcome kNone;
  return p ? *p : kNone;
}

inline const EgressTarget& TargetOf(const EgressPlan& plan, const PolicyId& id) {
  const PolicyOutcome& p = Outcome(plan, id);
  EXPECT_TRUE(p.target.has_value()) << id.ToString();
  static const EgressTarget kNone;
  return p.target ? plan.targets[*p.target] : kNone;
}

// "10.0.0.1-10.0.0.9=shop/a" per row, joined by " ": compact expectations for tables.
inline std::string Rows(const EgressPlan& plan, const std::vector<DestinationRow>& rows) {
  std::string out;
  for (const DestinationRow& r : rows) {
    if (!out.empty()) out += " ";
    const PolicyId& id = plan.policies[r.policy].id;
    out += r.range.first.ToString() + "-" + r.range.last.ToString() + "=" +
           (id.namespace_.empty() ? "" : id.namespace_ + "/") + id.name;
  }
  return out;
}

}  // namespace egret::core::egress::testing
