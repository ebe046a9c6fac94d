#include "lab/lab_status.h"

#include <gtest/gtest.h>

#include "doc/json.h"
#include "lab/lab_api.h"

namespace egret::lab {
namespace {

model::IpAddress Ip(std::string_view s) { return *model::IpAddress::Parse(s); }

LabState State() {
  LabState s;
  s.name = "l";
  s.ip_family = IpFamilyMode::kDual;
  s.phase = LabState::Phase::kReady;
  s.controller = {10, 1};
  s.nodes.push_back({"n1", 1, "l-n1", {Ip("172.18.0.11"), Ip("fd00:18::11")}, true, {11, 1}});
  s.nodes.push_back({"n2", 2, "l-n2", {Ip("172.18.0.12"), Ip("fd00:18::12")}, false, {12, 1}});
  s.pods.push_back({{"default", "web"},
                    "n1",
                    "l-p-default.web",
                    "id",
                    {Ip("10.244.1.5")},
                    {{model::Protocol::kTCP, 80, "http"}},
                    {13, 1}});
  s.externals.push_back({"out", 1, "l-x-out", {Ip("172.18.0.101")}, {}, {}});
  return s;
}

LiveView Live() {
  LiveView live;
  live.running = [](const ProcessRecord& p) { return p.pid != 12; };
  live.nodes["n1"] = NodeInfo{{"10.244.1.0/24", "fd00:10:244:1::/64"}, {{"role", "gw"}}, true};
  return live;
}

TEST(LabStatus, DocumentHasTheContractFields) {
  doc::Value v = BuildStatusDocument(State(), Live());
  EXPECT_EQ(doc::ToJson(*v.Find("underlay")->Find("cidrs")), R"(["172.18.0.0/24","fd00:18::/64"])");
  EXPECT_EQ(doc::ToJson(*v.Find("eipPool")),
            R"({"ipv4":"172.18.0.200-172.18.0.250","ipv6":"fd00:18::200-fd00:18::250"})");
  EXPECT_EQ(v.Find("api")->as_string(), "unix:/run/egret/lab/l/egret.sock");
  const doc::Value& n1 = v.Find("nodes")->as_list()[0];
  EXPECT_EQ(doc::ToJson(n1),
            R"({"name":"n1","netns":"l-n1","addresses":["172.18.0.11","fd00:18::11"],)"
            R"("podCIDRs":["10.244.1.0/24","fd00:10:244:1::/64"],"labels":{"role":"gw"},)"
            R"("up":true,"agent":{"pid":11,"running":true}})");
  const doc::Value& n2 = v.Find("nodes")->as_list()[1];
  EXPECT_EQ(doc::ToJson(*n2.Find("podCIDRs")), "[]");
  EXPECT_FALSE(n2.Find("up")->as_bool());
  EXPECT_FALSE(n2.Find("agent")->Find("running")->as_bool());
  EXPECT_EQ(doc::ToJson(v.Find("pods")->as_list()[0]),
            R"({"namespace":"default","name":"web","node":"n1","netns":"l-p-default.web",)"
            R"("addresses":["10.244.1.5"],"serve":["tcp:80=http"]})");
  EXPECT_EQ(doc::ToJson(v.Find("externals")->as_list()[0]),
            R"({"name":"out","netns":"l-x-out","addresses":["172.18.0.101"],"serve":[]})");
}

TEST(LabStatus, TextShowsTablesAndStoppedNodes) {
  std::string text = FormatStatusText(BuildStatusDocument(State(), Live()));
  EXPECT_NE(text.find("lab \"l\": ready, dual, encap"), std::string::npos) << text;
  EXPECT_NE(text.find("n1     up        172.18.0.11,fd00:18::11"), std::string::npos) << text;
  EXPECT_NE(text.find("n2     stopped"), std::string::npos) << text;
  EXPECT_NE(text.find("default/web"), std::string::npos) << text;
  EXPECT_NE(text.find("ext:out"), std::string::npos) << text;
}

TEST(LabApi, PodDocumentCarriesNodeLabelsAndNamedPorts) {
  doc::Value pod =
      PodDocument({"team", "web"}, "n2", {{"app", "web"}},
                  {{model::Protocol::kTCP, 80, "serve-80-tcp"}, {model::Protocol::kUDP, 53, ""}});
  EXPECT_EQ(doc::ToJson(pod),
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"team",)"
            R"("labels":{"app":"web"}},"spec":{"nodeName":"n2","containers":[{"name":"probe",)"
            R"("ports":[{"name":"serve-80-tcp","containerPort":80,"protocol":"TCP"},)"
            R"({"containerPort":53,"protocol":"UDP"}]}]}})");
}

TEST(LabApi, StatusAndNamespaceDocuments) {
  EXPECT_EQ(
      doc::ToJson(PodStatusDocument({Ip("10.244.1.5"), Ip("fd00:10:244:1::5")}, Ip("172.18.0.11"))),
      R"({"phase":"Running","hostIP":"172.18.0.11","podIP":"10.244.1.5",)"
      R"("podIPs":[{"ip":"10.244.1.5"},{"ip":"fd00:10:244:1::5"}]})");
  EXPECT_EQ(doc::ToJson(NamespaceDocument("team", {})),
            R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}})");
}

}  // namespace
}  // namespace egret::lab
