// CNI results: the document per spec version, decoding of every version's shape, round trips,
// and the checks on results that come from outside (prevResult, agent replies).
#include "cni/cni_result.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "doc/json.h"

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

model::IpAddress Ip(const char* s) { return *model::IpAddress::Parse(s); }
model::Cidr Net(const char* s) { return *model::Cidr::Parse(s); }

// A dual-stack pod with every field set, 1.1 ones included.
CniResult FullResult() {
  CniResult r;
  r.interfaces.push_back({.name = "egr1a2b3c4d5e6",
                          .mac = "0a:58:0a:f4:01:01",
                          .mtu = 1450,
                          .sandbox = "",
                          .socket_path = "",
                          .pci_id = ""});
  r.interfaces.push_back({.name = "eth0",
                          .mac = "0a:58:0a:f4:01:05",
                          .mtu = 1450,
                          .sandbox = "/var/run/netns/cni-1",
                          .socket_path = "/run/x.sock",
                          .pci_id = "0000:00:1f.0"});
  r.ips.push_back(
      {.address = Ip("10.244.1.5"), .prefix_len = 24, .gateway = Ip("10.244.1.1"), .interface = 1});
  r.ips.push_back({.address = Ip("fd00:10:244:1::5"),
                   .prefix_len = 64,
                   .gateway = Ip("fd00:10:244:1::1"),
                   .interface = 1});
  r.routes.push_back({.dst = Net("0.0.0.0/0"),
                      .gw = Ip("10.244.1.1"),
                      .mtu = 1400,
                      .advmss = 1360,
                      .priority = 100,
                      .table = 254,
                      .scope = 0});
  r.routes.push_back({.dst = Net("::/0"),
                      .gw = std::nullopt,
                      .mtu = std::nullopt,
                      .advmss = std::nullopt,
                      .priority = std::nullopt,
                      .table = std::nullopt,
                      .scope = std::nullopt});
  r.dns = {.nameservers = {"10.96.0.10"},
           .domain = "cluster.local",
           .search = {"shop.svc.cluster.local"},
           .options = {"ndots:5"}};
  return r;
}

std::string Json(const CniResult& r, std::string_view version) {
  return doc::ToJson(EncodeCniResult(r, version));
}

CniResult Decode(const std::string& json, std::string* errors = nullptr) {
  auto v = doc::ParseJson(json);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  model::FieldErrors errs;
  CniResult r = DecodeCniResult(*v, "prevResult", &errs);
  std::string text;
  for (const auto& e : errs.errors()) text += e.path + ": " + e.reason + "\n";
  if (errors) {
    *errors = text;
  } else {
    EXPECT_TRUE(errs.empty()) << text;
  }
  return r;
}

std::string DecodeErrors(const std::string& json) {
  std::string errors;
  Decode(json, &errors);
  return errors;
}

TEST(CniResult, Version110HasEveryField) {
  EXPECT_EQ(
      Json(FullResult(), "1.1.0"),
      R"({"cniVersion":"1.1.0","interfaces":[{"name":"egr1a2b3c4d5e6","mac":"0a:58:0a:f4:01:01",)"
      R"("mtu":1450},)"
      R"({"name":"eth0","mac":"0a:58:0a:f4:01:05","mtu":1450,"sandbox":"/var/run/netns/cni-1",)"
      R"("socketPath":"/run/x.sock","pciID":"0000:00:1f.0"}],)"
      R"("ips":[{"address":"10.244.1.5/24","gateway":"10.244.1.1","interface":1},)"
      R"({"address":"fd00:10:244:1::5/64","gateway":"fd00:10:244:1::1","interface":1}],)"
      R"("routes":[{"dst":"0.0.0.0/0","gw":"10.244.1.1","mtu":1400,"advmss":1360,"priority":100,)"
      R"("table":254,"scope":0},)"
      R"({"dst":"::/0"}],)"
      R"("dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local",)"
      R"("search":["shop.svc.cluster.local"],"options":["ndots:5"]}})");
}

TEST(CniResult, Version100DropsThe11Fields) {
  EXPECT_EQ(
      Json(FullResult(), "1.0.0"),
      R"({"cniVersion":"1.0.0","interfaces":[{"name":"egr1a2b3c4d5e6","mac":"0a:58:0a:f4:01:01"},)"
      R"({"name":"eth0","mac":"0a:58:0a:f4:01:05","sandbox":"/var/run/netns/cni-1"}],)"
      R"("ips":[{"address":"10.244.1.5/24","gateway":"10.244.1.1","interface":1},)"
      R"({"address":"fd00:10:244:1::5/64","gateway":"fd00:10:244:1::1","interface":1}],)"
      R"("routes":[{"dst":"0.0.0.0/0","gw":"10.244.1.1"},{"dst":"::/0"}],)"
      R"("dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local",)"
      R"("search":["shop.svc.cluster.local"],"options":["ndots:5"]}})");
}

TEST(CniResult, Version040AddsIpVersions) {
  std::string json = Json(FullResult(), "0.4.0");
  EXPECT_THAT(json, HasSubstr(R"("ips":[{"version":"4","address":"10.244.1.5/24")"));
  EXPECT_THAT(json, HasSubstr(R"({"version":"6","address":"fd00:10:244:1::5/64")"));
  EXPECT_THAT(json, HasSubstr(R"("routes":[{"dst":"0.0.0.0/0","gw":"10.244.1.1"},)"));
  EXPECT_THAT(json, ::testing::Not(HasSubstr("pciID")));
}

TEST(CniResult, EmptyResultKeepsDns) {
  EXPECT_EQ(Json(CniResult{}, "1.0.0"), R"({"cniVersion":"1.0.0","dns":{}})");
}

TEST(CniResult, RoundTripsInEveryVersion) {
  CniResult full = FullResult();
  EXPECT_EQ(Decode(Json(full, "1.1.0")), full);
  // Older versions lose the 1.1 fields, and nothing else.
  CniResult older = full;
  for (auto& i : older.interfaces) i.mtu.reset(), i.socket_path.clear(), i.pci_id.clear();
  older.routes[0] = {.dst = Net("0.0.0.0/0"),
                     .gw = Ip("10.244.1.1"),
                     .mtu = std::nullopt,
                     .advmss = std::nullopt,
                     .priority = std::nullopt,
                     .table = std::nullopt,
                     .scope = std::nullopt};
  EXPECT_EQ(Decode(Json(full, "1.0.0")), older);
  EXPECT_EQ(Decode(Json(full, "0.4.0")), older);
  // Encoding what was decoded gives the same text.
  EXPECT_EQ(Json(Decode(Json(full, "1.1.0")), "1.1.0"), Json(full, "1.1.0"));
}

TEST(CniResult, DecodingCanonicalizesAndIgnoresUnknownFields) {
  CniResult r = Decode(
      R"({"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"0A:58:0A:F4:01:05","x":1}],)"
      R"("ips":[{"address":"FD00::5/64","interface":0,"extra":true}],)"
      R"("dns":{"nameservers":["FD00::A"]},"someoneElse":{"k":"v"}})");
  EXPECT_EQ(r.interfaces[0].mac, "0a:58:0a:f4:01:05");
  EXPECT_EQ(r.ips[0].address.ToString(), "fd00::5");
  EXPECT_EQ(r.dns.nameservers[0], "fd00::a");
}

TEST(CniResult, ChecksInterfaces) {
  EXPECT_EQ(DecodeErrors(R"({"interfaces":[{"mac":"0a:58:0a:f4:01:05"}]})"),
            "prevResult.interfaces[0].name: Required value\n");
  EXPECT_THAT(DecodeErrors(R"({"interfaces":[{"name":"a/b"}]})"),
              HasSubstr("prevResult.interfaces[0].name: \"a/b\" is not a valid interface name"));
  EXPECT_THAT(DecodeErrors(R"({"interfaces":[{"name":"eth0","mac":"zz"}]})"),
              HasSubstr("prevResult.interfaces[0].mac: \"zz\" is not a MAC address"));
  EXPECT_EQ(DecodeErrors(R"({"interfaces":[{"name":"eth0","mtu":70000}]})"),
            "prevResult.interfaces[0].mtu: 70000 is out of range 0-65535\n");
  EXPECT_EQ(DecodeErrors(R"({"interfaces":[null]})"),
            "prevResult.interfaces[0]: must be an object, not null\n");
  EXPECT_EQ(DecodeErrors(R"({"interfaces":{"name":"eth0"}})"),
            "prevResult.interfaces: must be a list, not object\n");
}

TEST(CniResult, ChecksIps) {
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"gateway":"10.0.0.1"}]})"),
            "prevResult.ips[0].address: Required value\n");
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5"}]})"),
            "prevResult.ips[0].address: \"10.0.0.5\" is not an address with a prefix length like "
            "\"10.244.1.5/24\"\n");
  EXPECT_THAT(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/33"}]})"),
              HasSubstr("is not an address with a prefix length"));
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/24","gateway":"fd00::1"}]})"),
            "prevResult.ips[0].gateway: \"fd00::1\" is not an IPv4 address, unlike the address "
            "it goes with\n");
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/24","gateway":"10.0.0.300"}]})"),
            "prevResult.ips[0].gateway: \"10.0.0.300\" is not an IP address\n");
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/24","version":"6"}]})"),
            "prevResult.ips[0].version: \"6\" contradicts the address, which is IPv4\n");
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/24","version":"5"}]})"),
            "prevResult.ips[0].version: \"5\" is not an IP version: use \"4\" or \"6\"\n");
  EXPECT_EQ(
      DecodeErrors(
          R"({"interfaces":[{"name":"eth0"}],"ips":[{"address":"10.0.0.5/24","interface":1}]})"),
      "prevResult.ips[0].interface: 1 is not an index of interfaces, which has 1 entries\n");
  EXPECT_EQ(DecodeErrors(R"({"ips":[{"address":"10.0.0.5/24","interface":-1}]})"),
            "prevResult.ips[0].interface: -1 is out of range 0-4294967295\n");
}

TEST(CniResult, ChecksRoutesAndDns) {
  EXPECT_EQ(DecodeErrors(R"({"routes":[{"gw":"10.0.0.1"}]})"),
            "prevResult.routes[0].dst: Required value\n");
  EXPECT_EQ(DecodeErrors(R"({"routes":[{"dst":"10.0.0.1/8"}]})"),
            "prevResult.routes[0].dst: \"10.0.0.1/8\" has host bits set (did you mean "
            "\"10.0.0.0/8\"?)\n");
  EXPECT_THAT(DecodeErrors(R"({"routes":[{"dst":")" + std::string(100, '1') + R"("}]})"),
              HasSubstr("\"... is not a CIDR (address/prefix)"));
  EXPECT_EQ(DecodeErrors(R"({"routes":[{"dst":"::/0","gw":"10.0.0.1"}]})"),
            "prevResult.routes[0].gw: \"10.0.0.1\" is not an IPv6 address, unlike the address it "
            "goes with\n");
  EXPECT_EQ(DecodeErrors(R"({"routes":[{"dst":"::/0","scope":256}]})"),
            "prevResult.routes[0].scope: 256 is out of range 0-255\n");
  EXPECT_EQ(DecodeErrors(R"({"routes":[{"dst":"::/0","table":"main"}]})"),
            "prevResult.routes[0].table: must be an integer, not string\n");
  EXPECT_EQ(DecodeErrors(R"({"dns":{"nameservers":["dns.example"]}})"),
            "prevResult.dns.nameservers[0]: \"dns.example\" is not an IP address\n");
  EXPECT_EQ(DecodeErrors(R"({"dns":[]})"), "prevResult.dns: must be an object, not list\n");
  EXPECT_EQ(DecodeErrors(R"("result")"), "prevResult: must be an object, not string\n");
}

}  // namespace
}  // namespace egret::cni
