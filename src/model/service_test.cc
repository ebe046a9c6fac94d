// Service: every validation rule, per type (ClusterIP, NodePort/LoadBalancer, ExternalName),
// dual-stack families, the defaults written out and round trips.
#include "model/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/yaml.h"
#include "model/kinds_all.h"
#include "model/model_test_util.h"

namespace egret::model {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kService = R"(
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  clusterIP: 10.96.0.10
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: dns
    port: 53
    protocol: UDP
    targetPort: 5353
)";

TEST(ServiceTest, Rules) {
  static constexpr RuleCase kCases[] = {
      {"metadata.name", "1web", "metadata.name", "is not a valid service name"},
      {"metadata.name", "web.v1", "metadata.name", "starting with a letter"},
      {"spec.type", "Foo", "spec.type",
       "\"Foo\" is not a valid service type: use ClusterIP, NodePort, LoadBalancer or "
       "ExternalName"},
      {"spec.type", "NodePort", "", ""},
      {"spec.type", "LoadBalancer", "", ""},
      {"spec.selector", "{app: a b}", "spec.selector[app]", "is not a valid label value"},
      {"spec.clusterIP", "10.96.0.300", "spec.clusterIP", "\"10.96.0.300\" is not an IP address"},
      {"spec.clusterIPs", "[10.96.0.11]", "spec.clusterIP",
       "\"10.96.0.10\" does not match spec.clusterIPs[0] \"10.96.0.11\""},
      {"spec.clusterIPs", "[10.96.0.10, \"fd00:96::10\"]", "", ""},
      {"spec.clusterIPs", "[10.96.0.10, 10.96.0.11]", "spec.clusterIPs[1]",
       "is a second IPv4 address"},
      {"spec.clusterIPs", "[10.96.0.10, None]", "spec.clusterIPs[1]",
       "\"None\" (headless) must be the only value"},
      {"spec.clusterIP", "None", "", ""},
      {"spec.clusterIPs", "[None, 10.96.0.10]", "spec.clusterIPs",
       "\"None\" (headless) must be the only value"},
      {"spec.ipFamilies", "[IPv6]", "spec.clusterIPs[0]",
       "\"10.96.0.10\" is not an IPv6 address as spec.ipFamilies[0] says"},
      {"spec.ipFamilies", "[IPv4, IPv6]", "", ""},
      {"spec.ipFamilies", "[IPv4, IPv4]", "spec.ipFamilies[1]", "\"IPv4\" is listed twice"},
      {"spec.ipFamilies", "[IPv5]", "spec.ipFamilies[0]", "use IPv4 or IPv6"},
      {"spec.ipFamilyPolicy", "PreferDualStack", "", ""},
      {"spec.ipFamilyPolicy", "Single", "spec.ipFamilyPolicy",
       "use SingleStack, PreferDualStack or RequireDualStack"},
      {"spec.ports", nullptr, "spec.ports", "Required value"},
      {"spec.ports[0].name", nullptr, "spec.ports[0].name", "Required value"},
      {"spec.ports[0].name", "HTTP", "spec.ports[0].name", "is not a valid name"},
      {"spec.ports[1].name", "http", "spec.ports[1].name",
       "\"http\" is already the name of spec.ports[0]"},
      {"spec.ports[0].port", nullptr, "spec.ports[0].port", "Required value"},
      {"spec.ports[0].port", "0", "spec.ports[0].port", "0 is not a port number"},
      {"spec.ports[1].port", "80", "", ""},  // 80/UDP next to 80/TCP
      {"spec.ports[1].protocol", "TCP", "", ""},
      {"spec.ports[1].protocol", "icmp", "spec.ports[1].protocol", "is not a valid protocol"},
      {"spec.ports[0].targetPort", "0", "spec.ports[0].targetPort",
       "0 is not a port number: use 1-65535, or the name of a container port"},
      {"spec.ports[0].targetPort", "70000", "spec.ports[0].targetPort", "70000 is not a port"},
      {"spec.ports[0].targetPort", "\"8080\"", "spec.ports[0].targetPort",
       "a port number is written without quotes"},
      {"spec.ports[0].targetPort", "http_x", "spec.ports[0].targetPort",
       "is not a valid port name"},
      {"spec.ports[0].targetPort", "[1]", "spec.ports[0].targetPort",
       "must be an integer or a string"},
      {"spec.ports[0].nodePort", "30080", "spec.ports[0].nodePort",
       "not allowed for type ClusterIP: use type NodePort or LoadBalancer"},
      {"spec.ports[0].appProtocol", "http", "spec.ports[0].appProtocol", "unknown field"},
      {"spec.externalIPs", "[1.2.3.4]", "spec.externalIPs", "unknown field"},
      {"spec.sessionAffinity", "ClientIP", "", ""},
      {"spec.sessionAffinity", "Sticky", "spec.sessionAffinity", "use None or ClientIP"},
      {"spec.externalTrafficPolicy", "Local", "spec.externalTrafficPolicy",
       "not allowed for type ClusterIP"},
      {"spec.internalTrafficPolicy", "Local", "", ""},
      {"spec.internalTrafficPolicy", "Node", "spec.internalTrafficPolicy", "use Cluster or Local"},
      {"spec.externalName", "db.example.com", "spec.externalName",
       "not allowed for type ClusterIP: use type ExternalName"},
      {"status.loadBalancer.ingress", "[{ip: 1.2.3.4}]", "status.loadBalancer.ingress",
       "not allowed for type ClusterIP"},
      {"status.conditions", "[]", "status.conditions", "unknown field"},
  };
  RunCases(kService, &CanonicalizeService, kCases);
}

constexpr std::string_view kNodePortService = R"(
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: 80, nodePort: 30080}
  - {name: https, port: 443, nodePort: 30443}
status:
  loadBalancer:
    ingress:
    - ip: 203.0.113.10
    - hostname: lb.example.com
)";

TEST(ServiceTest, ExternallyReachableRules) {
  static constexpr RuleCase kCases[] = {
      {"spec.type", "NodePort", "status.loadBalancer.ingress", "not allowed for type NodePort"},
      {"spec.clusterIP", "None", "spec.clusterIP",
       "\"None\" (headless) is not allowed for type LoadBalancer"},
      {"spec.ports[1].nodePort", "30080", "spec.ports[1].nodePort",
       "30080/TCP is already the node port of spec.ports[0]"},
      {"spec.ports[1].nodePort", "0", "spec.ports[1].nodePort", "0 is not a port number"},
      {"spec.externalTrafficPolicy", "Local", "", ""},
      {"spec.externalTrafficPolicy", "Remote", "spec.externalTrafficPolicy",
       "use Cluster or Local"},
      {"status.loadBalancer.ingress[0].ip", "1.2.3", "status.loadBalancer.ingress[0].ip",
       "is not an IP address"},
      {"status.loadBalancer.ingress[1].hostname", "1.2.3.4",
       "status.loadBalancer.ingress[1].hostname", "is an IP address: put it in ip"},
      {"status.loadBalancer.ingress[1].hostname", "LB_1", "status.loadBalancer.ingress[1].hostname",
       "is not a valid name"},
      {"status.loadBalancer.ingress[0].ipMode", "VIP", "status.loadBalancer.ingress[0].ipMode",
       "unknown field"},
  };
  RunCases(kNodePortService, &CanonicalizeService, kCases);
}

constexpr std::string_view kExternalNameService = R"(
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  type: ExternalName
  externalName: db.example.com.
)";

TEST(ServiceTest, ExternalNameRules) {
  static constexpr RuleCase kCases[] = {
      {"spec.externalName", nullptr, "spec.externalName", "Required value"},
      {"spec.externalName", "db_1.example.com", "spec.externalName", "is not a valid name"},
      {"spec.clusterIP", "10.96.0.10", "spec.clusterIP", "not allowed for type ExternalName"},
      {"spec.ipFamilies", "[IPv4]", "spec.ipFamilies", "not allowed for type ExternalName"},
      {"spec.ipFamilyPolicy", "SingleStack", "spec.ipFamilyPolicy", "not allowed"},
      {"spec.ports", "[{port: 5432}]", "", ""},
      {"spec.ports", "[{port: 5432, nodePort: 30080}]", "spec.ports[0].nodePort",
       "not allowed for type ExternalName"},
      {"spec.externalTrafficPolicy", "Cluster", "spec.externalTrafficPolicy",
       "only NodePort and LoadBalancer services take external traffic"},
  };
  RunCases(kExternalNameService, &CanonicalizeService, kCases);
}

TEST(ServiceTest, DualStackFamiliesAndPolicy) {
  static constexpr RuleCase kCases[] = {
      {"spec.clusterIPs", "[10.96.0.10, \"fd00::10\"]", "", ""},
      {"spec.ipFamilyPolicy", "SingleStack", "", ""},
  };
  RunCases(kService, &CanonicalizeService, kCases);
  doc::Value v = Yaml(kService);
  Mutate(&v, "spec.clusterIPs", "[10.96.0.10, \"fd00::10\"]");
  Mutate(&v, "spec.ipFamilyPolicy", "SingleStack");
  StatusOr<doc::Value> out = CanonicalizeService(v);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("spec.ipFamilyPolicy: SingleStack does not allow two IP families"));

  Mutate(&v, "spec.ipFamilyPolicy", nullptr);
  Service svc = DecodeOk<Service>(doc::ToYaml(v), &DecodeService);
  EXPECT_EQ(svc.spec.ip_families, (std::vector<Family>{Family::kV4, Family::kV6}));
  EXPECT_EQ(svc.spec.ip_family_policy, IpFamilyPolicy::kRequireDualStack);
}

TEST(ServiceTest, DefaultsAreWrittenOut) {
  Service svc = DecodeOk<Service>(R"(
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.0.10
  ports: [{port: 80}]
)",
                                  &DecodeService);
  std::string yaml = doc::ToYaml(EncodeService(svc));
  EXPECT_EQ(yaml,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n"
            "spec:\n  type: ClusterIP\n  clusterIP: 10.96.0.10\n  clusterIPs:\n  - 10.96.0.10\n"
            "  ipFamilies:\n  - IPv4\n  ipFamilyPolicy: SingleStack\n  ports:\n"
            "  - protocol: TCP\n    port: 80\n    targetPort: 80\n  sessionAffinity: None\n"
            "  internalTrafficPolicy: Cluster\n");

  Service lb = DecodeOk<Service>(kNodePortService, &DecodeService);
  EXPECT_EQ(lb.spec.external_traffic_policy, TrafficPolicy::kCluster);
  EXPECT_EQ(lb.spec.ip_family_policy, IpFamilyPolicy::kSingleStack);
  EXPECT_TRUE(lb.spec.ip_families.empty());  // nothing allocated yet

  Service ext = DecodeOk<Service>(kExternalNameService, &DecodeService);
  EXPECT_EQ(ext.spec.internal_traffic_policy, std::nullopt);
  EXPECT_EQ(ext.spec.ip_family_policy, std::nullopt);

  Service headless = DecodeOk<Service>(R"(
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}}
)",
                                       &DecodeService);
  EXPECT_TRUE(headless.spec.headless);
  EXPECT_THAT(doc::ToYaml(EncodeService(headless)),
              HasSubstr("clusterIP: None\n  clusterIPs:\n  - None\n"));
}

TEST(ServiceTest, TargetPortByName) {
  Service svc = DecodeOk<Service>(kService, &DecodeService);
  EXPECT_EQ(svc.spec.ports[0].target_port.name, "http");
  EXPECT_EQ(svc.spec.ports[1].target_port.number, 5353);
  EXPECT_EQ(svc.spec.ports[1].protocol, Protocol::kUDP);
}

TEST(ServiceTest, RoundTrip) {
  ExpectRoundTrip<Service>(kService, &DecodeService, &EncodeService);
  ExpectRoundTrip<Service>(kNodePortService, &DecodeService, &EncodeService);
  ExpectRoundTrip<Service>(kExternalNameService, &DecodeService, &EncodeService);
}

}  // namespace
}  // namespace egret::model
