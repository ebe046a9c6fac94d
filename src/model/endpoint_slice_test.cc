// EndpointSlice: every validation rule per address type, the limits, canonical form, helpers
// and the round trip.
#include "model/endpoint_slice.h"

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
  static constexpr RuleCase kCases[] = {
      {"addressType", nullptr, "addressType", "Required value"},
      {"addressType", "IP", "addressType", "use IPv4, IPv6 or FQDN"},
      {"endpoints[0].addresses", "[]", "endpoints[0].addresses", "Required value"},
      {"endpoints[0].addresses", nullptr, "endpoints[0].addresses", "Required value"},
      {"endpoints[0].addresses", "[\"fd00::1\"]", "endpoints[0].addresses[0]",
       "\"fd00::1\" is an IPv6 address, not IPv4"},
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
  static constexpr RuleCase kCases[] = {
      {"endpoints", "[{addresses: [\"fd00::5\"]}]", "", ""},
      {"endpoints", "[{addresses: [10.0.0.1]}]", "endpoints[0].addresses[0]",
       "\"10.0.0.1\" is an IPv4 address, not IPv6"},
      {"endpoints", "[{addresses: [\"::1\"]}]", "endpoints[0].addresses[0]", "loopback"},
      {"endpoints", "[{addresses: [\"fe80::1\"]}]", "endpoints[0].addresses[0]", "link-local"},
  };
  doc::Value v6 = Yaml(kSlice);
  Mutate(&v6, "addressType", "IPv6");
  RunCases(doc::ToYaml(v6), &CanonicalizeEndpointSlice, kCases);

  static constexpr RuleCase kFqdn[] = {
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

}  // namespace
}  // namespace egret::model
