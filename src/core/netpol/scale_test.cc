// A size check of the compiler (not a benchmark; bench/ measures): a cluster of 10,000 pods in
// 1,000 namespaces on 50 nodes with 3,000 NetworkPolicies and a few admin policies compiles
// node by node without anything growing as pods x pods.
#include <gtest/gtest.h>

#include <chrono>

#include "core/netpol/compile.h"
#include "core/netpol/netpol_test_util.h"

namespace egret::core::netpol::testing {
namespace {

PolicyCluster Big() {
  PolicyCluster c;
  for (int n = 0; n < 1000; ++n) {
    std::string ns = "ns" + std::to_string(n);
    c.namespaces.push_back(MakeNamespace(ns, {{"team", "t" + std::to_string(n % 10)}}));
    for (int p = 0; p < 10; ++p) {
      int k = n * 10 + p;
      c.pods.push_back(MakePod(ns, "pod" + std::to_string(p), "node" + std::to_string(k % 50),
                               {model::IpAddress::V4(0x0a000000u + static_cast<uint32_t>(k))},
                               {{"app", "app" + std::to_string(p % 3)}},
                               {Port("http", 8080, model::Protocol::kTCP)}));
    }
    for (int i = 0; i < 3; ++i) {
      model::NetworkPolicy np;
      np.metadata = {.name = "np" + std::to_string(i), .namespace_ = ns};
      np.spec.pod_selector.match_labels = {{"app", "app" + std::to_string(i)}};
      np.spec.policy_types = {model::PolicyType::kIngress, model::PolicyType::kEgress};
      model::SelectorPeer peer;
      peer.namespace_selector = model::LabelSelector{{{"team", "t" + std::to_string(i)}}, {}};
      np.spec.ingress.push_back({{peer}, {{model::Protocol::kTCP, std::nullopt, "http", {}}}});
      np.spec.egress.push_back({{peer}, {{model::Protocol::kTCP, std::nullopt, "http", {}}}});
      c.network_policies.push_back(np);
    }
  }
  for (int i = 0; i < 5; ++i) {
    model::AdminNetworkPolicy anp;
    anp.metadata.name = "anp" + std::to_string(i);
    anp.spec.priority = i;
    anp.spec.subject =
        model::NamespacesPeer{model::LabelSelector{{{"team", "t" + std::to_string(i)}}, {}}};
    anp.spec.ingress.push_back({"",
                                model::AdminPolicyAction::kDeny,
                                {model::NamespacesPeer{model::LabelSelector{{{"team", "t9"}}, {}}}},
                                {}});
    c.admin_policies.push_back(anp);
  }
  return c;
}

TEST(ScaleTest, CompilesEveryNode) {
  PolicyCluster c = Big();
  auto start = std::chrono::steady_clock::now();
  PolicyCompiler compiler(c);
  size_t programs = 0;
  size_t members = 0;
  for (int n = 0; n < 50; ++n) {
    NodePolicyState s = compiler.CompileNode("node" + std::to_string(n));
    programs += s.pods.size();
    for (const AddressSet& set : s.address_sets) members += set.members.size();
  }
  std::vector<PolicyNodes> placement = compiler.Placement();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(programs, 10000u);  // every pod is selected (app0-2 by np0-2, or by an ANP)
  EXPECT_EQ(placement.size(), 3005u);
  EXPECT_GT(members, 0u);
  std::printf("compiled 50 nodes, %zu programs, %zu set members in %.2f s\n", programs, members,
              secs);
}

}  // namespace
}  // namespace egret::core::netpol::testing
