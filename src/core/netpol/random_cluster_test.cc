// A randomized property test beyond the conformance model: random namespaces, pods (some
// dual-stack, some without addresses, assorted named ports) and random NetworkPolicies,
// AdminNetworkPolicies (with colliding priorities) and baselines. For every one, the compiled
// form interpreted must decide exactly as the evaluator for every pair of endpoints.
#include <gtest/gtest.h>

#include <random>

#include "core/netpol/interpret.h"
#include "core/netpol/netpol_test_util.h"

namespace egret::core::netpol::testing {
namespace {

using model::Protocol;

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  int Int(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin() { return Int(2) == 0; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(static_cast<int>(v.size())))];
  }

  model::LabelSelector Selector(const std::string& key, const std::vector<std::string>& values) {
    model::LabelSelector s;
    switch (Int(5)) {
      case 0:
        break;  // {}
      case 1:
        s.match_labels[key] = Pick(values);
        break;
      case 2:
        s.match_expressions.push_back(
            {key, model::LabelRequirement::Op::kIn, {Pick(values), Pick(values)}});
        break;
      case 3:
        s.match_expressions.push_back({key, model::LabelRequirement::Op::kNotIn, {Pick(values)}});
        break;
      default:
        s.match_expressions.push_back({key,
                                       Coin() ? model::LabelRequirement::Op::kExists
                                              : model::LabelRequirement::Op::kDoesNotExist,
                                       {}});
    }
    return s;
  }
  model::LabelSelector NsSel() { return Selector("team", {"a", "b"}); }
  model::LabelSelector PodSel() { return Selector("app", {"w", "d", "c"}); }

  Protocol Proto() { return static_cast<Protocol>(Int(3)); }

  model::NetworkPolicyPort NpPort() {
    model::NetworkPolicyPort p;
    p.protocol = Proto();
    switch (Int(4)) {
      case 0:
        break;
      case 1:
        p.number = static_cast<uint16_t>(Pick(std::vector<int>{53, 80, 81}));
        break;
      case 2:
        p.number = 80;
        p.end_port = static_cast<uint16_t>(81 + Int(8000));
        break;
      default:
        p.name = Pick(std::vector<std::string>{"http", "dns", "alt", "none"});
    }
    return p;
  }

  model::IpBlock Block() {
    if (Coin()) return {Net("10.0.0.0/16"), {Net("10.0.1.0/24")}};
    if (Coin()) return {Net("10.0.0.0/8"), {Net("10.0.0.0/25"), Net("10.0.2.0/24")}};
    return {Net("fd00::/64"), {Net("fd00::/126")}};
  }

  model::NetworkPolicy Np(int i, const std::string& ns) {
    model::NetworkPolicy np;
    np.metadata = {.name = "np" + std::to_string(i), .namespace_ = ns};
    np.spec.pod_selector = PodSel();
    for (model::PolicyType t : {model::PolicyType::kIngress, model::PolicyType::kEgress}) {
      if (Int(3) == 0) continue;
      np.spec.policy_types.push_back(t);
      auto& rules = t == model::PolicyType::kIngress ? np.spec.ingress : np.spec.egress;
      for (int r = Int(3); r > 0; --r) {
        model::NetworkPolicyRule rule;
        for (int p = Int(3); p > 0; --p) {
          if (Int(4) == 0) {
            rule.peers.push_back(Block());
          } else {
            model::SelectorPeer sp;
            if (Coin()) sp.namespace_selector = NsSel();
            if (!sp.namespace_selector || Coin()) sp.pod_selector = PodSel();
            rule.peers.push_back(sp);
          }
        }
        for (int p = Int(3); p > 0; --p) rule.ports.push_back(NpPort());
        rules.push_back(rule);
      }
    }
    if (np.spec.policy_types.empty()) np.spec.policy_types.push_back(model::PolicyType::kIngress);
    return np;
  }

  std::vector<model::AdminPort> AdminPorts() {
    std::vector<model::AdminPort> out;
    for (int p = Int(3); p > 0; --p) {
      switch (Int(3)) {
        case 0:
          out.push_back(model::AdminPortNumber{Proto(), 80});
          break;
        case 1:
          out.push_back(model::AdminPortRange{Proto(), 53, 80});
          break;
        default:
          out.push_back(
              model::AdminNamedPort{Pick(std::vector<std::string>{"http", "dns", "alt"})});
      }
    }
    return out;
  }

  template <typename Peer>
  Peer AdminPeer();

  template <typename Rule>
  std::vector<Rule> AdminRules(bool pass) {
    std::vector<Rule> out;
    for (int r = Int(4); r > 0; --r) {
      Rule rule;
      rule.action = static_cast<model::AdminPolicyAction>(Int(pass ? 3 : 2));
      for (int p = 1 + Int(2); p > 0; --p)
        rule.peers.push_back(AdminPeer<typename decltype(rule.peers)::value_type>());
      rule.ports = AdminPorts();
      out.push_back(rule);
    }
    return out;
  }

  model::AdminPolicySubject Subject() {
    if (Coin()) return model::NamespacesPeer{NsSel()};
    return model::PodsPeer{NsSel(), PodSel()};
  }

 private:
  std::mt19937 rng_;
};

template <>
model::AdminIngressPeer Gen::AdminPeer<model::AdminIngressPeer>() {
  if (Coin()) return model::NamespacesPeer{NsSel()};
  return model::PodsPeer{NsSel(), PodSel()};
}

template <>
model::AdminEgressPeer Gen::AdminPeer<model::AdminEgressPeer>() {
  switch (Int(4)) {
    case 0:
      return model::NamespacesPeer{NsSel()};
    case 1:
      return model::PodsPeer{NsSel(), PodSel()};
    case 2:
      return model::NodesPeer{Selector("kubernetes.io/hostname", {"n1", "n2", "n3"})};
    default:
      return model::NetworksPeer{{Net("10.0.0.0/17"), Net("fd00::/120")}};
  }
}

PolicyCluster RandomCluster(Gen& g) {
  PolicyCluster c;
  for (int i = 1; i <= 3; ++i) {
    model::Node node;
    node.metadata.name = "n" + std::to_string(i);
    node.metadata.labels = {{"kubernetes.io/hostname", node.metadata.name}};
    node.status.addresses = {{model::NodeAddressType::kInternalIP, "10.0.9." + std::to_string(i)}};
    c.nodes.push_back(node);
  }
  const std::vector<std::string> nss = {"p", "q", "r", "s"};
  for (size_t i = 0; i + 1 < nss.size(); ++i) {  // "s" has no Namespace object
    Labels l;
    if (g.Int(3)) l["team"] = g.Pick(std::vector<std::string>{"a", "b"});
    c.namespaces.push_back(MakeNamespace(nss[i], l));
  }
  const std::vector<model::ContainerPort> ports = {
      Port("http", 80, Protocol::kTCP), Port("dns", 53, Protocol::kUDP),
      Port("dns", 53, Protocol::kTCP), Port("alt", 81, Protocol::kSCTP),
      Port("alt", 8081, Protocol::kTCP)};
  for (int k = 0; k < 10; ++k) {
    Labels l;
    if (g.Int(4)) l["app"] = g.Pick(std::vector<std::string>{"w", "d", "c"});
    std::vector<model::IpAddress> ips;
    int shape = g.Int(6);
    if (shape != 0)
      ips.push_back(Ip("10.0." + std::to_string(k % 3) + "." + std::to_string(k + 1)));
    if (shape >= 4) ips.push_back(Ip("fd00::" + std::to_string(k + 1)));
    std::vector<model::ContainerPort> own;
    for (const auto& p : ports) {
      if (g.Coin()) own.push_back(p);
    }
    c.pods.push_back(MakePod(g.Pick(nss), "pod" + std::to_string(k),
                             "n" + std::to_string(1 + g.Int(3)), ips, l, own));
  }
  for (int i = g.Int(5); i > 0; --i) c.network_policies.push_back(g.Np(i, g.Pick(nss)));
  for (int i = g.Int(4); i > 0; --i) {
    model::AdminNetworkPolicy anp;
    anp.metadata.name = "anp" + std::to_string(g.Int(100));
    anp.metadata.name += "-" + std::to_string(i);
    anp.spec.priority = g.Int(3);
    anp.spec.subject = g.Subject();
    anp.spec.ingress = g.AdminRules<model::AdminIngressRule>(true);
    anp.spec.egress = g.AdminRules<model::AdminEgressRule>(true);
    c.admin_policies.push_back(anp);
  }
  if (g.Coin()) {
    model::BaselineAdminNetworkPolicy b;
    b.metadata.name = "default";
    b.spec.subject = g.Subject();
    b.spec.ingress = g.AdminRules<model::AdminIngressRule>(false);
    b.spec.egress = g.AdminRules<model::AdminEgressRule>(false);
    c.baseline = b;
  }
  return c;
}

TEST(RandomClusterTest, CompiledMatchesEvaluator) {
  std::vector<model::IpAddress> extra = {Ip("192.0.2.1"), Ip("10.0.9.2"), Ip("10.0.1.200"),
                                         Ip("fd00::99"), Ip("2001:db8::1")};
  int mismatches = 0;
  int allowed = 0;
  int denied = 0;
  for (uint32_t seed = 1; seed <= 100 && mismatches < 5; ++seed) {
    Gen g(seed);
    PolicyCluster c = RandomCluster(g);
    PolicyCompiler compiler(c);
    std::vector<NodePolicyState> states;
    for (const char* n : {"n1", "n2", "n3"}) states.push_back(compiler.CompileNode(n));
    std::vector<model::IpAddress> eps = extra;
    for (const model::Pod& p : c.pods)
      eps.insert(eps.end(), p.status.pod_ips.begin(), p.status.pod_ips.end());
    for (const auto& s : eps) {
      for (const auto& d : eps) {
        for (Protocol proto : {Protocol::kTCP, Protocol::kUDP, Protocol::kSCTP}) {
          for (uint16_t port : {53, 80, 81, 8081}) {
            Connection conn{s, d, proto, port};
            Verdict want = Allowed(c, conn);
            InterpretedVerdict got = Interpret(states, conn);
            ++(want.allowed ? allowed : denied);
            if (want.egress.allowed == got.egress && want.ingress.allowed == got.ingress) continue;
            if (++mismatches > 5) break;
            ADD_FAILURE() << "seed " << seed << ": " << s.ToString() << " -> " << d.ToString()
                          << " " << model::ProtocolName(proto) << "/" << port << ": evaluator "
                          << want.egress.reason << " | " << want.ingress.reason << "; compiled "
                          << got.egress_rule << " | " << got.ingress_rule;
          }
        }
      }
    }
  }
  // The generator must produce both outcomes in earnest, or the comparison proves little.
  EXPECT_GT(denied, allowed / 10) << allowed << " allowed, " << denied << " denied";
  EXPECT_GT(allowed, denied / 10) << allowed << " allowed, " << denied << " denied";
}

}  // namespace
}  // namespace egret::core::netpol::testing
