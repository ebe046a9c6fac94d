// Tests of the core Kubernetes kinds: Pod, Node, Service, EndpointSlice. Most rules are checked
// table-driven: a valid base object, one mutation (set or erase a field at a path), and the
// expected outcome (valid, or the exact field path plus a key part of the reason).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/endpoint_slice.h"
#include "model/kind_codec.h"
#include "model/kinds.h"
#include "model/kinds_all.h"
#include "model/node.h"
#include "model/pod.h"
#include "model/service.h"

namespace egret::model {
namespace {

using ::testing::HasSubstr;

doc::Value Yaml(std::string_view text) {
  StatusOr<std::vector<doc::Value>> docs = doc::ParseYaml(text);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString();
  return docs.ok() && !docs->empty() ? docs->front() : doc::Value();
}

// Sets the field at `path` ("spec.containers[0].ports[0].foo") to the YAML `value`, or erases it
// when `value` is null. Intermediate maps are created; list indexes must exist.
void Mutate(doc::Value* root, std::string_view path, const char* value) {
  std::vector<std::string_view> parts = Split(path, '.');
  doc::Value* cur = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    size_t br = part.find('[');
    std::string key(part.substr(0, br));
    if (i + 1 == parts.size() && br == std::string_view::npos) {
      if (value) {
        cur->Set(key, Yaml(value));
      } else {
        cur->Erase(key);
      }
      return;
    }
    doc::Value* next = cur->Find(key);
    cur = next ? next : &cur->Set(key, doc::Value::EmptyMap());
    while (br != std::string_view::npos) {
      size_t close = part.find(']', br);
      size_t idx = static_cast<size_t>(*ParseInt(part.substr(br + 1, close - br - 1)));
      cur = &cur->as_list().at(idx);
      br = part.find('[', close);
    }
  }
}

using Canonicalize = StatusOr<doc::Value> (*)(const doc::Value&);

struct Case {
  const char* path;        // field to change
  const char* value;       // its new YAML value; nullptr erases it
  const char* error_path;  // "" when the result is valid
  const char* reason;      // key part of the reason
};

void RunCases(std::string_view base, Canonicalize fn, std::span<const Case> cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.path) + " = " + (c.value ? c.value : "<erased>"));
    doc::Value v = Yaml(base);
    Mutate(&v, c.path, c.value);
    StatusOr<doc::Value> out = fn(v);
    if (std::string_view(c.error_path).empty()) {
      EXPECT_TRUE(out.ok()) << out.status().message();
      continue;
    }
    ASSERT_FALSE(out.ok()) << doc::ToYaml(*out);
    // Find the line for this path; it must carry the reason.
    std::string want = std::string(": ") + c.error_path + ": ";
    bool found = false;
    for (std::string_view line : Split(out.status().message(), '\n')) {
      if (line.find(want) == std::string_view::npos) continue;
      found = true;
      EXPECT_THAT(std::string(line), HasSubstr(c.reason));
    }
    EXPECT_TRUE(found) << "no error at " << c.error_path << " in:\n" << out.status().message();
  }
}

// decode → encode → decode gives equal values, and the canonical YAML is a fixed point.
template <typename T>
void ExpectRoundTrip(std::string_view yaml, T (*decode)(const doc::Value&, FieldErrors*),
                     doc::Value (*encode)(const T&)) {
  FieldErrors errs;
  T first = decode(Yaml(yaml), &errs);
  ASSERT_TRUE(errs.empty()) << errs.ToStatus("X", "", "").message();
  doc::Value canonical = encode(first);
  T second = decode(canonical, &errs);
  ASSERT_TRUE(errs.empty()) << errs.ToStatus("X", "", "").message();
  EXPECT_TRUE(first == second) << doc::ToYaml(canonical);
  EXPECT_EQ(doc::ToYaml(encode(second)), doc::ToYaml(canonical));
}

template <typename T>
T DecodeOk(std::string_view yaml, T (*decode)(const doc::Value&, FieldErrors*)) {
  FieldErrors errs;
  T out = decode(Yaml(yaml), &errs);
  EXPECT_TRUE(errs.empty()) << errs.ToStatus("X", "", "").message();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pod

constexpr std::string_view kPod = R"(
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  labels: {app: web}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: nginx:1.25
    ports:
    - name: http
      containerPort: 8080
    - name: dns
      containerPort: 53
      protocol: UDP
  - name: sidecar
    ports:
    - name: metrics
      containerPort: 9090
      hostPort: 19090
status:
  phase: Running
  hostIP: 192.168.1.10
  podIP: 10.244.1.5
  podIPs:
  - ip: 10.244.1.5
  - ip: fd00:10:244:1::5
)";

TEST(PodTest, Rules) {
  static constexpr Case kCases[] = {
      {"spec.nodeName", "node-1.example", "", ""},
      {"spec.nodeName", "Node_1", "spec.nodeName", "is not a valid name"},
      {"spec.hostNetwork", "\"yes\"", "spec.hostNetwork", "must be a boolean"},
      {"spec.hostNetwork", "true", "spec.containers[1].ports[0].hostPort",
       "19090 must equal containerPort (9090) on a host-network pod"},
      {"spec.containers", nullptr, "spec.containers", "Required value"},
      {"spec.containers", "[]", "spec.containers", "Required value"},
      {"spec.containers", "x", "spec.containers", "must be a list, not string"},
      {"spec.containers[0].name", nullptr, "spec.containers[0].name", "Required value"},
      {"spec.containers[0].name", "App", "spec.containers[0].name", "is not a valid name"},
      {"spec.containers[1].name", "app", "spec.containers[1].name",
       "\"app\" is already the name of spec.containers[0]"},
      {"spec.containers[0].image", "\" nginx\"", "spec.containers[0].image", "whitespace"},
      {"spec.containers[0].image", "5", "spec.containers[0].image", "must be a string"},
      {"spec.containers[0].ports[0].name", "web-8080", "", ""},
      {"spec.containers[0].ports[0].name", "http_1", "spec.containers[0].ports[0].name",
       "is not a valid port name"},
      {"spec.containers[0].ports[0].name", "\"8080\"", "spec.containers[0].ports[0].name",
       "a port number is written without quotes"},
      {"spec.containers[0].ports[0].name", "-http", "spec.containers[0].ports[0].name",
       "no '-' at either end"},
      {"spec.containers[0].ports[0].name", "a--b", "spec.containers[0].ports[0].name",
       "is not a valid port name"},
      {"spec.containers[0].ports[0].name", "verylongportname", "spec.containers[0].ports[0].name",
       "at most 15"},
      {"spec.containers[0].ports[0].name", "HTTP", "spec.containers[0].ports[0].name",
       "lower-case"},
      {"spec.containers[1].ports[0].name", "http", "spec.containers[1].ports[0].name",
       "\"http\" is already the name of spec.containers[0].ports[0]"},
      {"spec.containers[0].ports[0].containerPort", nullptr,
       "spec.containers[0].ports[0].containerPort", "Required value"},
      {"spec.containers[0].ports[0].containerPort", "0",
       "spec.containers[0].ports[0].containerPort", "0 is not a port number: use 1-65535"},
      {"spec.containers[0].ports[0].containerPort", "65536",
       "spec.containers[0].ports[0].containerPort", "65536 is not a port number"},
      {"spec.containers[0].ports[0].containerPort", "\"80\"",
       "spec.containers[0].ports[0].containerPort", "must be an integer, not string"},
      {"spec.containers[0].ports[0].protocol", "SCTP", "", ""},
      {"spec.containers[0].ports[0].protocol", "tcp", "spec.containers[0].ports[0].protocol",
       "\"tcp\" is not a valid protocol: use TCP, UDP or SCTP"},
      {"spec.containers[0].ports[0].hostPort", "70000", "spec.containers[0].ports[0].hostPort",
       "70000 is not a port number"},
      {"spec.containers[0].ports[0].hostPort", "19090", "spec.containers[1].ports[0].hostPort",
       "19090/TCP is already used by spec.containers[0].ports[0]"},
      {"spec.containers[0].ports[1].hostPort", "19090", "", ""},  // same port, UDP
      {"spec.containers[0].ports[0].foo", "1", "spec.containers[0].ports[0].foo", "unknown field"},
      {"spec.containers[0].command", "[sh]", "spec.containers[0].command", "unknown field"},
      {"spec.restartPolicy", "Always", "spec.restartPolicy", "unknown field"},
      {"status.phase", "Succeeded", "", ""},
      {"status.phase", "Done", "status.phase",
       "\"Done\" is not a valid phase: use Pending, Running, Succeeded, Failed or Unknown"},
      {"status.hostIP", "10.0.0.300", "status.hostIP", "\"10.0.0.300\" is not an IP address"},
      {"status.podIP", "10.244.1.6", "status.podIP",
       "\"10.244.1.6\" does not match status.podIPs[0] \"10.244.1.5\""},
      {"status.podIP", nullptr, "", ""},
      {"status.podIPs", nullptr, "", ""},
      {"status.podIPs[1].ip", "10.244.1.6", "status.podIPs[1]",
       "\"10.244.1.6\" is a second IPv4 address: give at most one per IP family"},
      {"status.podIPs[0].ip", "x", "status.podIPs[0].ip", "\"x\" is not an IP address"},
      {"status.podIPs[0].ip", nullptr, "status.podIPs[0].ip", "Required value"},
      {"status.podIPs", "[10.244.1.5]", "status.podIPs[0]", "must be an object, not string"},
      {"status.conditions", "[]", "status.conditions", "unknown field"},
      {"metadata.name", "Web", "metadata.name", "is not a valid name"},
      {"extra", "1", "extra", "unknown field"},
  };
  RunCases(kPod, &CanonicalizePod, kCases);
}

TEST(PodTest, DefaultsAreWrittenOut) {
  doc::Value v = Yaml(kPod);
  Mutate(&v, "spec.hostNetwork", "true");
  Mutate(&v, "spec.containers[1].ports[0].hostPort", nullptr);
  Mutate(&v, "status.podIPs", nullptr);
  StatusOr<doc::Value> out = CanonicalizePod(v);
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::string yaml = doc::ToYaml(*out);
  EXPECT_THAT(yaml, HasSubstr("- name: http\n      containerPort: 8080\n      protocol: TCP\n"
                              "      hostPort: 8080\n"));
  EXPECT_THAT(yaml, HasSubstr("containerPort: 9090\n      protocol: TCP\n      hostPort: 9090"));
  EXPECT_THAT(yaml, HasSubstr("podIP: 10.244.1.5\n  podIPs:\n  - ip: 10.244.1.5\n"));
}

TEST(PodTest, NamespaceDefaultsAndIpv6IsCanonical) {
  doc::Value v = Yaml(kPod);
  Mutate(&v, "metadata.namespace", nullptr);
  Mutate(&v, "status.podIPs[1].ip", "FD00:10:244:1:0:0:0:5");
  FieldErrors errs;
  Pod pod = DecodePod(v, &errs);
  ASSERT_TRUE(errs.empty());
  EXPECT_EQ(pod.metadata.namespace_, "default");
  EXPECT_EQ(pod.status.pod_ips[1].ToString(), "fd00:10:244:1::5");
  EXPECT_EQ(pod.status.phase, PodPhase::kRunning);
}

TEST(PodTest, ErrorNamesTheObject) {
  doc::Value v = Yaml(kPod);
  Mutate(&v, "spec.containers[0].ports[0].foo", "1");
  StatusOr<doc::Value> out = CanonicalizePod(v);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Pod \"shop/web-1\": spec.containers[0].ports[0].foo: unknown field");
}

TEST(PodTest, RoundTrip) { ExpectRoundTrip<Pod>(kPod, &DecodePod, &EncodePod); }

TEST(PodTest, ResolveNamedPort) {
  Pod pod = DecodeOk<Pod>(kPod, &DecodePod);
  EXPECT_EQ(ResolveNamedPort(pod, "http", Protocol::kTCP), 8080);
  EXPECT_EQ(ResolveNamedPort(pod, "dns", Protocol::kUDP), 53);
  EXPECT_EQ(ResolveNamedPort(pod, "metrics", Protocol::kTCP), 9090);  // second container
  EXPECT_EQ(ResolveNamedPort(pod, "dns", Protocol::kTCP), std::nullopt);
  EXPECT_EQ(ResolveNamedPort(pod, "nope", Protocol::kTCP), std::nullopt);
  EXPECT_EQ(ResolveNamedPort(pod, "", Protocol::kTCP), std::nullopt);
}

TEST(ProtocolTest, ParseAndName) {
  EXPECT_EQ(ParseProtocol("UDP"), Protocol::kUDP);
  EXPECT_EQ(ParseProtocol("udp"), std::nullopt);
  EXPECT_EQ(ProtocolName(Protocol::kSCTP), "SCTP");
}

// ---------------------------------------------------------------------------------------------
// Node

constexpr std::string_view kNode = R"(
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: {egret.io/gateway: "true"}
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24, "fd00:10:244:1::/64"]
status:
  addresses:
  - {type: InternalIP, address: 192.168.1.10}
  - {type: InternalIP, address: "fd00::10"}
  - {type: ExternalIP, address: 203.0.113.7}
  - {type: Hostname, address: node-1}
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status
    lastHeartbeatTime: "2024-05-01T12:00:00Z"
    lastTransitionTime: "2024-05-01T11:00:00.123+02:00"
)";

TEST(NodeTest, Rules) {
  static constexpr Case kCases[] = {
      {"metadata.namespace", "shop", "metadata.namespace", "cluster-scoped"},
      {"spec.podCIDR", "10.244.1.0/33", "spec.podCIDR", "bad prefix length"},
      {"spec.podCIDR", "10.244.1.1/24", "spec.podCIDR", "host bits set"},
      {"spec.podCIDR", "10.244.2.0/24", "spec.podCIDR",
       "\"10.244.2.0/24\" does not match spec.podCIDRs[0] \"10.244.1.0/24\""},
      {"spec.podCIDR", nullptr, "", ""},
      {"spec.podCIDRs", nullptr, "", ""},
      {"spec.podCIDRs", "[10.244.1.0/24, 10.245.1.0/24]", "spec.podCIDRs[1]",
       "\"10.245.1.0/24\" is a second IPv4 CIDR: give at most one per IP family"},
      {"spec.podCIDRs", "[5]", "spec.podCIDRs[0]", "must be a string, not integer"},
      {"spec.podCIDRs", "10.244.1.0/24", "spec.podCIDRs", "must be a list"},
      {"spec.unschedulable", "true", "", ""},
      {"spec.unschedulable", "no", "spec.unschedulable", "must be a boolean"},
      {"spec.taints", "[]", "spec.taints", "unknown field"},
      {"status.addresses[0].type", "Internal", "status.addresses[0].type",
       "\"Internal\" is not a valid address type: use InternalIP, ExternalIP, InternalDNS, "
       "ExternalDNS or Hostname"},
      {"status.addresses[0].type", nullptr, "status.addresses[0].type", "Required value"},
      {"status.addresses[0].address", nullptr, "status.addresses[0].address", "Required value"},
      {"status.addresses[0].address", "node-1", "status.addresses[0].address",
       "\"node-1\" is not an IP address"},
      {"status.addresses[2].address", "300.1.1.1", "status.addresses[2].address",
       "is not an IP address"},
      {"status.addresses[3].type", "InternalDNS", "", ""},
      {"status.addresses[1].address", "192.168.1.10", "status.addresses[1]",
       "\"192.168.1.10\" is already listed as InternalIP"},
      {"status.addresses[0].foo", "1", "status.addresses[0].foo", "unknown field"},
      {"status.conditions[0].type", nullptr, "status.conditions[0].type", "Required value"},
      {"status.conditions[0].status", nullptr, "status.conditions[0].status", "Required value"},
      {"status.conditions[0].status", "\"true\"", "status.conditions[0].status",
       "use True, False or Unknown"},
      {"status.conditions[0].status", "true", "status.conditions[0].status", "must be a string"},
      {"status.conditions[0].lastHeartbeatTime", "yesterday",
       "status.conditions[0].lastHeartbeatTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastHeartbeatTime", "\"2024-05-01 12:00:00\"",
       "status.conditions[0].lastHeartbeatTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastTransitionTime", "\"2024-13-01T00:00:00Z\"",
       "status.conditions[0].lastTransitionTime", "is not an RFC 3339 time"},
      {"status.conditions[0].lastTransitionTime", "\"2024-05-01T00:00:00-07:30\"", "", ""},
      {"status.nodeInfo", "{}", "status.nodeInfo", "unknown field"},
  };
  RunCases(kNode, &CanonicalizeNode, kCases);
}

TEST(NodeTest, HelpersAndCanonicalText) {
  doc::Value v = Yaml(kNode);
  Mutate(&v, "status.addresses[1].address", "FD00:0:0::10");
  Mutate(&v, "spec.podCIDRs", nullptr);
  FieldErrors errs;
  Node node = DecodeNode(v, &errs);
  ASSERT_TRUE(errs.empty()) << errs.ToStatus("Node", "", "n").message();
  ASSERT_EQ(node.spec.pod_cidrs.size(), 1u);  // filled from podCIDR
  std::vector<IpAddress> ips = InternalIPs(node);
  ASSERT_EQ(ips.size(), 2u);
  EXPECT_EQ(ips[0].ToString(), "192.168.1.10");
  EXPECT_EQ(ips[1].ToString(), "fd00::10");
  EXPECT_EQ(FindCondition(node, "Ready"), ConditionStatus::kTrue);
  EXPECT_EQ(FindCondition(node, "DiskPressure"), ConditionStatus::kUnknown);
  std::string yaml = doc::ToYaml(EncodeNode(node));
  EXPECT_THAT(yaml, HasSubstr("podCIDR: 10.244.1.0/24\n  podCIDRs:\n  - 10.244.1.0/24\n"));
  EXPECT_THAT(yaml, HasSubstr("address: fd00::10"));
}

TEST(NodeTest, RoundTrip) { ExpectRoundTrip<Node>(kNode, &DecodeNode, &EncodeNode); }

// ---------------------------------------------------------------------------------------------
// Service

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
  static constexpr Case kCases[] = {
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
  static constexpr Case kCases[] = {
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
  static constexpr Case kCases[] = {
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
  static constexpr Case kCases[] = {
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

// ---------------------------------------------------------------------------------------------
// EndpointSlice

constexpr std::string_view kSlice = R"(
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  namespace: shop
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
endpoints:
- addresses: [10.244.1.5]
  conditions: {ready: true, serving: true, terminating: false}
  nodeName: node-1
  targetRef: {kind: Pod, namespace: shop, name: web-1, uid: abc-123}
- addresses: [10.244.2.7]
  conditions: {ready: false}
ports:
- name: http
  port: 8080
- name: dns
  protocol: UDP
  port: 53
)";

TEST(EndpointSliceTest, Rules) {
  static constexpr Case kCases[] = {
      {"addressType", nullptr, "addressType", "Required value"},
      {"addressType", "IP", "addressType", "use IPv4, IPv6 or FQDN"},
      {"endpoints[0].addresses", "[]", "endpoints[0].addresses", "Required value"},
      {"endpoints[0].addresses", nullptr, "endpoints[0].addresses", "Required value"},
      {"endpoints[0].addresses", "[\"fd00::1\"]", "endpoints[0].addresses[0]",
       "\"fd00::1\" is not an IPv4 address"},
      {"endpoints[0].addresses", "[127.0.0.1]", "endpoints[0].addresses[0]",
       "is a loopback address"},
      {"endpoints[0].addresses", "[169.254.1.1]", "endpoints[0].addresses[0]", "link-local"},
      {"endpoints[0].addresses", "[0.0.0.0]", "endpoints[0].addresses[0]", "unspecified"},
      {"endpoints[0].addresses", "[224.0.0.5]", "endpoints[0].addresses[0]", "multicast"},
      {"endpoints[0].addresses", "[10.244.1.5, 10.244.1.6]", "", ""},
      {"endpoints[0].addresses", "[5]", "endpoints[0].addresses[0]", "must be a string"},
      {"endpoints[0].conditions.ready", "\"yes\"", "endpoints[0].conditions.ready",
       "must be a boolean"},
      {"endpoints[0].conditions.serving", nullptr, "", ""},
      {"endpoints[0].conditions.foo", "true", "endpoints[0].conditions.foo", "unknown field"},
      {"endpoints[0].nodeName", "Node_1", "endpoints[0].nodeName", "is not a valid name"},
      {"endpoints[0].targetRef.foo", "1", "endpoints[0].targetRef.foo", "unknown field"},
      {"endpoints[0].hostname", "a", "endpoints[0].hostname", "unknown field"},
      {"endpoints[0].zone", "a", "endpoints[0].zone", "unknown field"},
      {"ports[0].name", "Http", "ports[0].name", "is not a valid name"},
      {"ports[1].name", "http", "ports[1].name", "\"http\" is already the name of ports[0]"},
      {"ports[0].name", nullptr, "", ""},
      {"ports[0].protocol", "ICMP", "ports[0].protocol", "is not a valid protocol"},
      {"ports[0].port", "0", "ports[0].port", "0 is not a port number"},
      {"ports[0].port", nullptr, "", ""},
      {"ports[0].appProtocol", "http", "ports[0].appProtocol", "unknown field"},
      {"spec", "{}", "spec", "unknown field"},
  };
  RunCases(kSlice, &CanonicalizeEndpointSlice, kCases);
}

TEST(EndpointSliceTest, OtherAddressTypes) {
  static constexpr Case kCases[] = {
      {"endpoints", "[{addresses: [\"fd00::5\"]}]", "", ""},
      {"endpoints", "[{addresses: [10.0.0.1]}]", "endpoints[0].addresses[0]",
       "\"10.0.0.1\" is not an IPv6 address"},
      {"endpoints", "[{addresses: [\"::1\"]}]", "endpoints[0].addresses[0]", "loopback"},
      {"endpoints", "[{addresses: [\"fe80::1\"]}]", "endpoints[0].addresses[0]", "link-local"},
  };
  doc::Value v6 = Yaml(kSlice);
  Mutate(&v6, "addressType", "IPv6");
  RunCases(doc::ToYaml(v6), &CanonicalizeEndpointSlice, kCases);

  static constexpr Case kFqdn[] = {
      {"endpoints", "[{addresses: [backend.example.com]}]", "", ""},
      {"endpoints", "[{addresses: [backend.example.com.]}]", "", ""},
      {"endpoints", "[{addresses: [backend]}]", "endpoints[0].addresses[0]",
       "is not fully qualified"},
      {"endpoints", "[{addresses: [Bad_Name.com]}]", "endpoints[0].addresses[0]",
       "is not a valid name"},
  };
  doc::Value fqdn = Yaml(kSlice);
  Mutate(&fqdn, "addressType", "FQDN");
  RunCases(doc::ToYaml(fqdn), &CanonicalizeEndpointSlice, kFqdn);
}

TEST(EndpointSliceTest, Limits) {
  doc::Value v = Yaml(kSlice);
  doc::Value addresses = doc::Value::EmptyList();
  for (int i = 0; i < 101; ++i) addresses.Append("10.1.0." + std::to_string(i + 1));
  v.Find("endpoints")->as_list()[0].Set("addresses", addresses);
  StatusOr<doc::Value> out = CanonicalizeEndpointSlice(v);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("endpoints[0].addresses: has 101 addresses: at most 100 per endpoint"));

  v = Yaml(kSlice);
  doc::Value endpoints = doc::Value::EmptyList();
  for (int i = 0; i < 1001; ++i) endpoints.Append(Yaml("{addresses: [10.1.2.3]}"));
  v.Set("endpoints", endpoints);
  out = CanonicalizeEndpointSlice(v);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "EndpointSlice \"shop/web-abc12\": endpoints: has 1001 endpoints: at most 1000 per "
            "slice; split them over slices");
}

TEST(EndpointSliceTest, UnnamedPortsMustBeUnique) {
  doc::Value v = Yaml(kSlice);
  Mutate(&v, "ports[0].name", nullptr);
  Mutate(&v, "ports[1].name", nullptr);
  StatusOr<doc::Value> out = CanonicalizeEndpointSlice(v);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr(": ports[1]: \"\" is already the name of ports[0]: port names must be "
                        "unique (at most one port may be unnamed)"));
}

TEST(EndpointSliceTest, CanonicalFormKeepsTopLevelFields) {
  StatusOr<doc::Value> out = CanonicalizeEndpointSlice(Yaml(kSlice));
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::vector<std::string> keys;
  for (const doc::Member& m : out->as_map()) keys.push_back(m.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"apiVersion", "kind", "metadata", "addressType",
                                            "endpoints", "ports"}));
  EXPECT_THAT(doc::ToYaml(*out), HasSubstr("- name: http\n  protocol: TCP\n  port: 8080\n"));
}

TEST(EndpointSliceTest, Helpers) {
  EndpointSlice slice = DecodeOk<EndpointSlice>(kSlice, &DecodeEndpointSlice);
  EXPECT_EQ(ServiceNameOf(slice), "web");
  EXPECT_TRUE(IsReady(slice.endpoints[0]));
  EXPECT_FALSE(IsReady(slice.endpoints[1]));
  EXPECT_TRUE(IsReady(Endpoint{}));  // unknown counts as ready
  EXPECT_EQ(slice.endpoints[0].target_ref->uid, "abc-123");
  slice.metadata.labels.clear();
  EXPECT_EQ(ServiceNameOf(slice), "");
}

TEST(EndpointSliceTest, RoundTrip) {
  ExpectRoundTrip<EndpointSlice>(kSlice, &DecodeEndpointSlice, &EncodeEndpointSlice);
}

// The registry routes each kind to its module.
TEST(CoreKindsTest, DecodeObjectsThroughRegistry) {
  std::string text = std::string(kPod) + "---\n" + std::string(kNode) + "---\n" +
                     std::string(kService) + "---\n" + std::string(kSlice);
  StatusOr<std::vector<Object>> objs = DecodeObjects(text);
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  ASSERT_EQ(objs->size(), 4u);
  EXPECT_EQ((*objs)[0].Ref(), "Pod \"shop/web-1\"");
  EXPECT_EQ((*objs)[1].Ref(), "Node \"node-1\"");
  EXPECT_EQ((*objs)[2].Ref(), "Service \"shop/web\"");
  EXPECT_EQ((*objs)[3].Ref(), "EndpointSlice \"shop/web-abc12\"");
}

}  // namespace
}  // namespace egret::model
