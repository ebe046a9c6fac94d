// Pod: every validation rule (table-driven: one mutation of a valid pod, the expected field path
// and reason), the defaults written out, canonical text and the round trip.
#include "model/pod.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "doc/yaml.h"
#include "model/kinds_all.h"
#include "model/model_test_util.h"

namespace egret::model {
namespace {

using ::testing::HasSubstr;

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
  static constexpr RuleCase kCases[] = {
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

}  // namespace
}  // namespace egret::model
