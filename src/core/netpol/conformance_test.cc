// The property test: for every scenario, the compiled form interpreted decides exactly as the
// evaluator, direction by direction, for every pair of endpoints of the conformance model (the
// 9 pods, one external host, the 3 nodes; both families), every protocol and ports 80-82.
#include <set>

#include "core/netpol/interpret.h"
#include "core/netpol/netpol_test_util.h"
#include "core/netpol/scenarios.h"

namespace egret::core::netpol::testing {
namespace {

std::vector<model::IpAddress> Endpoints(model::Family f) {
  std::vector<model::IpAddress> out;
  for (int k = 0; k < 9; ++k) out.push_back(Ip(f == model::Family::kV4 ? ModelV4(k) : ModelV6(k)));
  out.push_back(Ip(f == model::Family::kV4 ? "192.0.2.10" : "2001:db8::10"));
  for (int i = 1; i <= 3; ++i) {
    out.push_back(Ip((f == model::Family::kV4 ? "172.18.0." : "fc00:18::") + std::to_string(i)));
  }
  return out;
}

std::string Describe(const Connection& c) {
  return c.source.ToString() + " -> " + c.destination.ToString() + " " +
         std::string(model::ProtocolName(c.protocol)) + "/" + std::to_string(c.port);
}

// Mismatches between the evaluator and the interpreted compilation, at most 10, plus the
// number of denied connections seen.
struct Comparison {
  std::vector<std::string> mismatches;
  int denied = 0;
};

Comparison Compare(const PolicyCluster& cluster) {
  Comparison out;
  std::vector<NodePolicyState> states = CompileAll(cluster);
  for (model::Family f : {model::Family::kV4, model::Family::kV6}) {
    std::vector<model::IpAddress> eps = Endpoints(f);
    for (size_t s = 0; s < eps.size(); ++s) {
      for (size_t d = 0; d < eps.size(); ++d) {
        if (s >= 9 && d >= 9) continue;  // neither end is a pod
        for (model::Protocol p :
             {model::Protocol::kTCP, model::Protocol::kUDP, model::Protocol::kSCTP}) {
          for (uint16_t port : {80, 81, 82}) {
            Connection conn{eps[s], eps[d], p, port};
            Verdict want = Allowed(cluster, conn);
            InterpretedVerdict got = Interpret(states, conn);
            if (!want.allowed) ++out.denied;
            if (want.egress.allowed == got.egress && want.ingress.allowed == got.ingress) continue;
            if (out.mismatches.size() < 10) {
              out.mismatches.push_back(
                  Describe(conn) + ": evaluator egress=" + std::to_string(want.egress.allowed) +
                  " (" + want.egress.reason + ") ingress=" + std::to_string(want.ingress.allowed) +
                  " (" + want.ingress.reason + "); compiled egress=" + std::to_string(got.egress) +
                  " (" + got.egress_rule + ") ingress=" + std::to_string(got.ingress) + " (" +
                  got.ingress_rule + ")");
            }
          }
        }
      }
    }
  }
  return out;
}

class ConformanceTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(ConformanceTest, CompiledMatchesEvaluator) {
  PolicyCluster cluster = ConformanceCluster();
  AddPolicies(&cluster, GetParam().yaml);
  Comparison c = Compare(cluster);
  for (const std::string& m : c.mismatches) ADD_FAILURE() << m;
  // Every scenario but the allow-all ones denies something: guards against a scenario whose
  // YAML silently selects nothing.
  static const std::set<std::string> kAllowAll = {"allow-all-ingress", "allow-all-egress",
                                                  "explicit-ingress-type-ignores-egress"};
  if (kAllowAll.count(GetParam().name)) {
    EXPECT_EQ(c.denied, 0);
  } else {
    EXPECT_GT(c.denied, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Upstream, ConformanceTest, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& p) {
                           std::string name;
                           for (char ch : p.param.name) name += ch == '-' ? '_' : ch;
                           return name;
                         });

TEST(ConformanceTest, HasEnoughScenarios) { EXPECT_GE(Scenarios().size(), 30u); }

// All scenarios at once: many policies on the same pods, all tiers interleaved.
TEST(ConformanceTest, AllScenariosTogether) {
  PolicyCluster cluster = ConformanceCluster();
  std::set<std::string> seen;
  for (const Scenario& s : Scenarios()) {
    // Names repeat across scenarios; keep the first of each object so the union stays valid.
    PolicyCluster one;
    AddPolicies(&one, s.yaml);
    for (auto& np : one.network_policies) {
      if (seen.insert("np/" + np.metadata.namespace_ + "/" + np.metadata.name).second) {
        cluster.network_policies.push_back(np);
      }
    }
    for (auto& anp : one.admin_policies) {
      if (seen.insert("anp/" + anp.metadata.name).second) cluster.admin_policies.push_back(anp);
    }
    if (one.baseline && !cluster.baseline) cluster.baseline = one.baseline;
  }
  Comparison c = Compare(cluster);
  for (const std::string& m : c.mismatches) ADD_FAILURE() << m;
}

}  // namespace
}  // namespace egret::core::netpol::testing
