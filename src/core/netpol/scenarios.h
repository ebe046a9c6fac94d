// The policy scenarios of the property test (header-only test data), modelled on the upstream
// NetworkPolicy and AdminNetworkPolicy conformance suites, against the conformance model of
// netpol_test_util.h.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace egret::core::netpol::testing {

struct Scenario {
  std::string name;
  std::string yaml;  // documents separated by "---"
};

inline void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

inline std::string Np(std::string_view ns, std::string_view name, std::string_view spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " +
         std::string(name) + ", namespace: " + std::string(ns) + "}\nspec: " + std::string(spec) +
         "\n---\n";
}

inline std::string Anp(std::string_view name, int priority, std::string_view spec_rest) {
  return "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
         "metadata: {name: " +
         std::string(name) + "}\nspec: {priority: " + std::to_string(priority) + ", " +
         std::string(spec_rest) + "}\n---\n";
}

inline std::string Banp(std::string_view spec) {
  return "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\n"
         "metadata: {name: default}\nspec: " +
         std::string(spec) + "\n---\n";
}

inline std::vector<Scenario> Scenarios() {
  const std::string nsx = "subject: {namespaces: {matchLabels: {ns: x}}}";
  const std::string xa =
      "subject: {pods: {namespaceSelector: {matchLabels: {ns: x}}, "
      "podSelector: {matchLabels: {pod: a}}}}";
  const std::string from_y = "from: [{namespaces: {matchLabels: {ns: y}}}]";
  const std::string from_z = "from: [{namespaces: {matchLabels: {ns: z}}}]";
  return {
      {"deny-all-ingress", Np("x", "deny", "{podSelector: {}}")},
      {"deny-all-egress", Np("x", "deny", "{podSelector: {}, policyTypes: [Egress]}")},
      {"deny-all-both", Np("x", "deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}")},
      {"allow-all-ingress", Np("x", "allow", "{podSelector: {}, ingress: [{}]}")},
      {"allow-all-egress",
       Np("x", "allow", "{podSelector: {}, egress: [{}], policyTypes: [Egress]}")},
      {"pod-selector", Np("x", "p",
                          "{podSelector: {matchLabels: {pod: a}}, "
                          "ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}")},
      {"namespace-selector",
       Np("x", "p",
          "{podSelector: {matchLabels: {pod: a}}, "
          "ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]}")},
      {"namespace-notin",
       Np("x", "p",
          "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchExpressions: "
          "[{key: ns, operator: NotIn, values: [x]}]}}]}]}")},
      {"and-peer",
       Np("x", "p",
          "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: "
          "{matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]}")},
      {"or-peers",
       Np("x", "p",
          "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: "
          "{matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: b}}}]}]}")},
      {"all-namespaces-pod-c",
       Np("x", "p",
          "{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: "
          "{matchLabels: {pod: c}}}]}]}")},
      {"named-port-ingress", Np("x", "p",
                                "{podSelector: {matchLabels: {pod: a}}, ingress: [{ports: [{port: "
                                "serve-80-tcp}]}]}")},
      {"named-port-egress-udp",
       Np("x", "p",
          "{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{protocol: UDP, "
          "port: serve-81-udp}]}]}")},
      {"named-port-protocol-mismatch",
       Np("x", "p",
          "{podSelector: {}, ingress: [{ports: [{protocol: UDP, port: "
          "serve-80-tcp}]}]}")},
      {"numeric-port", Np("x", "p", "{podSelector: {}, ingress: [{ports: [{port: 81}]}]}")},
      {"end-port",
       Np("x", "p",
          "{podSelector: {}, ingress: [{ports: [{protocol: UDP, port: 80, endPort: 81}, "
          "{port: 81, endPort: 90}]}]}")},
      {"protocol-only", Np("y", "p", "{podSelector: {}, ingress: [{ports: [{protocol: UDP}]}]}")},
      {"sctp-port",
       Np("x", "p", "{podSelector: {}, ingress: [{ports: [{protocol: SCTP, port: 80}]}]}")},
      {"ipblock-except",
       Np("x", "p",
          "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, except: "
          "[10.244.1.0/24]}}]}]}")},
      {"ipblock-egress-except-pod",
       Np("x", "p",
          "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: "
          "[{ipBlock: {cidr: 10.244.2.0/24, except: [10.244.2.14/32]}}]}]}")},
      {"ipblock-ipv6",
       Np("y", "p",
          "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 'fd00:244:3::/48'}}, "
          "{ipBlock: {cidr: 10.244.3.0/24}}]}]}")},
      {"ingress-and-egress",
       Np("x", "p",
          "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress, Egress], "
          "ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}], "
          "egress: [{to: [{namespaceSelector: {matchLabels: {ns: z}}}], "
          "ports: [{port: 80}]}]}")},
      {"stacked-union",
       Np("x", "p1",
          "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: "
          "{matchLabels: {pod: b}}}]}]}") +
           Np("x", "p2",
              "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: "
              "{ns: z}}}], ports: [{port: 81}]}]}")},
      {"stacked-deny-plus-allow",
       Np("x", "deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}") +
           Np("x", "allow",
              "{podSelector: {}, egress: [{to: [{namespaceSelector: {}}]}], "
              "policyTypes: [Egress]}")},
      {"pod-in-expression",
       Np("z", "p",
          "{podSelector: {matchExpressions: [{key: pod, operator: In, values: [a, b]}]}, "
          "ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: "
          "Exists}]}}]}]}")},
      {"egress-to-z-port-80",
       Np("y", "p",
          "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: "
          "{matchLabels: {ns: z}}}], ports: [{port: 80}, {protocol: UDP, port: 80}]}]}")},
      {"explicit-ingress-type-ignores-egress",
       Np("x", "p",
          "{podSelector: {}, policyTypes: [Ingress], ingress: [{}], egress: [{to: "
          "[{podSelector: {}}]}]}")},
      {"named-port-egress-ipblock",
       Np("z", "p",
          "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "
          "10.244.0.0/16}}], ports: [{port: serve-80-tcp}]}]}")},
      {"anp-deny", Anp("deny-y", 10, nsx + ", ingress: [{action: Deny, " + from_y + "}]")},
      {"anp-allow-over-np",
       Np("x", "deny", "{podSelector: {}}") +
           Anp("allow-z", 10, nsx + ", ingress: [{action: Allow, " + from_z + "}]")},
      {"anp-pass-to-np", Anp("pass-y", 10,
                             nsx + ", ingress: [{action: Pass, " + from_y +
                                 "}, {action: Deny, "
                                 "from: [{namespaces: {}}]}]") +
                             Np("x", "allow-ya",
                                "{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, "
                                "podSelector: {matchLabels: {pod: a}}}]}]}")},
      {"anp-priorities",
       Anp("allow-ya", 5,
           nsx + ", ingress: [{action: Allow, from: [{pods: {namespaceSelector: "
                 "{matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}}]}]") +
           Anp("deny-y", 10, nsx + ", ingress: [{action: Deny, " + from_y + "}]")},
      {"anp-equal-priority-by-name",
       Anp("bbb-allow", 7, nsx + ", ingress: [{action: Allow, " + from_y + "}]") +
           Anp("aaa-deny", 7, nsx + ", ingress: [{action: Deny, " + from_y + "}]")},
      {"anp-rule-order",
       Anp("ordered", 3,
           xa + ", ingress: [{action: Pass, from: [{pods: {namespaceSelector: {}, "
                "podSelector: {matchLabels: {pod: b}}}}]}, {action: Deny, "
                "from: [{namespaces: {}}]}]")},
      {"banp-under-np",
       Np("x", "allow-y-to-a",
          "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: "
          "[{namespaceSelector: {matchLabels: {ns: y}}}]}]}") +
           Banp("{" + nsx + ", ingress: [{action: Deny, from: [{namespaces: {}}]}]}")},
      {"anp-pass-np-banp",
       Anp("pass-z", 1,
           nsx + ", ingress: [{action: Pass, " + from_z + "}, {action: Deny, " + from_y + "}]") +
           Banp("{" + nsx +
                ", ingress: [{action: Allow, from: [{pods: {namespaceSelector: "
                "{matchLabels: {ns: z}}, podSelector: {matchLabels: {pod: a}}}}]}, "
                "{action: Deny, " +
                from_z + "}]}")},
      {"anp-egress-ports",
       Anp("egress-ports", 20,
           "subject: {namespaces: {matchLabels: {ns: y}}}, egress: [{action: Allow, to: "
           "[{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}, {namedPort: "
           "serve-81-udp}, {portRange: {protocol: SCTP, start: 80, end: 81}}]}, {action: Deny, "
           "to: [{namespaces: {}}]}]")},
      {"anp-egress-networks",
       Anp("nets", 30,
           "subject: {namespaces: {matchLabels: {ns: z}}}, egress: [{action: Deny, "
           "to: [{networks: [10.244.1.0/24, 'fd00:244:2::/48', 192.0.2.0/24]}]}]")},
      {"anp-egress-nodes", Anp("nodes", 30,
                               "subject: {namespaces: {}}, egress: [{action: Deny, to: [{nodes: "
                               "{matchLabels: {kubernetes.io/hostname: n2}}}]}]")},
      {"banp-allow-deny-order",
       Banp("{subject: {namespaces: {}}, egress: [{action: Allow, to: [{pods: {namespaceSelector: "
            "{}, podSelector: {matchLabels: {pod: a}}}}]}, {action: Deny, to: [{namespaces: "
            "{matchLabels: {ns: x}}}]}]}")},
      {"anp-ingress-named-port",
       Anp("named", 40,
           nsx + ", ingress: [{action: Deny, from: [{namespaces: {}}], ports: "
                 "[{namedPort: serve-80-tcp}, {namedPort: serve-81-sctp}]}]")},
      {"everything-stacked",
       Np("x", "deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}") +
           Np("y", "allow-x",
              "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
              "{matchLabels: {ns: x}}}]}]}") +
           Anp("pass-x", 50,
               "subject: {namespaces: {}}, egress: [{action: Pass, to: "
               "[{namespaces: {matchLabels: {ns: y}}}]}]") +
           Anp("allow-x-egress-z", 60,
               nsx + ", egress: [{action: Allow, to: [{namespaces: "
                     "{matchLabels: {ns: z}}}], ports: [{portRange: "
                     "{protocol: TCP, start: 80, end: 81}}]}]") +
           Banp("{subject: {namespaces: {matchLabels: {ns: z}}}, ingress: [{action: Deny, from: "
                "[{namespaces: {matchLabels: {ns: x}}}]}]}")},
  };
}

}  // namespace egret::core::netpol::testing
