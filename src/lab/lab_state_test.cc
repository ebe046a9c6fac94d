#include "lab/lab_state.h"

#include <gtest/gtest.h>

#include "doc/json.h"

namespace egret::lab {
namespace {

model::IpAddress Ip(std::string_view s) { return *model::IpAddress::Parse(s); }

LabState FullState() {
  LabState s;
  s.name = "lab1";
  s.ip_family = IpFamilyMode::kDual;
  s.mode = NetMode::kNoEncap;
  s.phase = LabState::Phase::kReady;
  s.namespaces = {"lab1-ul", "lab1-cp", "lab1-n1", "lab1-x-out", "lab1-p-default.web"};
  s.controller = {101, 5000};
  s.nodes.push_back(
      {"n1", 1, "lab1-n1", {Ip("172.18.0.11"), Ip("fd00:18::11")}, false, {102, 5001}});
  s.externals.push_back({"out",
                         1,
                         "lab1-x-out",
                         {Ip("172.18.0.101")},
                         {{model::Protocol::kTCP, 80, ""}},
                         {103, 5002}});
  s.pods.push_back({{"default", "web"},
                    "n1",
                    "lab1-p-default.web",
                    "c0ffee",
                    {Ip("10.244.1.5"), Ip("fd00:10:244:1::5")},
                    {{model::Protocol::kUDP, 53, "dns"}},
                    {104, 5003}});
  return s;
}

TEST(LabState, RoundTripThroughJson) {
  LabState s = FullState();
  std::string json = doc::ToJson(EncodeState(s), {.pretty = true});
  auto parsed = doc::ParseJson(json);
  ASSERT_TRUE(parsed.ok());
  auto back = DecodeState(*parsed, "state.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
  EXPECT_EQ(doc::ToJson(EncodeState(*back), {.pretty = true}), json);
}

TEST(LabState, EmptyStateRoundTrips) {
  LabState s;
  s.name = "x";
  auto back = DecodeState(EncodeState(s), "state.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
}

TEST(LabState, DecodeErrorsNameTheFileAndPath) {
  doc::Value v = EncodeState(FullState());
  v.Find("nodes")->as_list()[0].Set("addresses", doc::List{doc::Value("1.2.3")});
  v.Find("pods")->as_list()[0].Set("serve", doc::List{doc::Value("tcp:http")});
  v.Set("ipFamily", "both");
  v.Set("extra", 1);
  auto st = DecodeState(v, "/run/egret/lab/lab1/state.json").status();
  ASSERT_EQ(st.code(), Code::kInvalid);
  const std::string& m = st.message();
  EXPECT_NE(m.find("/run/egret/lab/lab1/state.json: nodes[0].addresses[0]: \"1.2.3\" is not an "
                   "IP address"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("pods[0].serve: port \"tcp:http\""), std::string::npos) << m;
  EXPECT_NE(m.find("ipFamily: \"both\" is not ipv4, ipv6 or dual"), std::string::npos) << m;
  EXPECT_NE(m.find("extra: unknown field"), std::string::npos) << m;
}

TEST(LabState, RefusesOtherVersionsAndNonObjects) {
  doc::Value v = EncodeState(FullState());
  v.Set("version", 2);
  EXPECT_NE(DecodeState(v, "s").status().message().find("version: 2 is not supported"),
            std::string::npos);
  EXPECT_EQ(DecodeState(doc::Value("x"), "s").status().code(), Code::kInvalid);
}

TEST(LabState, Lookups) {
  LabState s = FullState();
  EXPECT_NE(s.FindNode("n1"), nullptr);
  EXPECT_EQ(s.FindNode("n2"), nullptr);
  EXPECT_NE(s.FindExternal("out"), nullptr);
  EXPECT_NE(s.FindPod({"default", "web"}), nullptr);
  EXPECT_EQ(s.FindPod({"other", "web"}), nullptr);
  EXPECT_EQ(s.FreeExternalIndex(), 2);
  EXPECT_EQ(s.Processes().size(), 4u);
  s.RecordNamespace("lab1-ul");
  EXPECT_EQ(s.namespaces.size(), 5u);
  s.ForgetNamespace("lab1-ul");
  EXPECT_EQ(s.namespaces.size(), 4u);
}

}  // namespace
}  // namespace egret::lab
