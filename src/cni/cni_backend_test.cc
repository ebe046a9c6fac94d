// The agent contract: request frames round trip and are validated like invocations, the
// dispatcher calls the right backend method and maps its Status, and replies decode.
#include "cni/cni_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "doc/json.h"

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

doc::Value J(const std::string& text) {
  auto v = doc::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString() << "\n" << text;
  return v.ok() ? *v : doc::Value();
}

CniResult PodResult() {
  CniResult r;
  r.interfaces.push_back({.name = "eth0",
                          .mac = "0a:58:0a:f4:01:05",
                          .mtu = std::nullopt,
                          .sandbox = "/var/run/netns/cni-1",
                          .socket_path = "",
                          .pci_id = ""});
  r.ips.push_back({.address = *model::IpAddress::Parse("10.244.1.5"),
                   .prefix_len = 24,
                   .gateway = model::IpAddress::Parse("10.244.1.1"),
                   .interface = 0});
  return r;
}

CniRequest AddRequest() {
  CniRequest r;
  r.command = CniCommand::kAdd;
  r.cni_version = "1.0.0";
  r.network = "egret";
  r.container_id = "abc";
  r.netns = "/run/netns/p1";
  r.ifname = "eth0";
  r.args = {{"K8S_POD_NAMESPACE", "shop"}, {"K8S_POD_NAME", "web-1"}};
  FillPodIdentity(&r);
  r.mtu = 1450;
  r.runtime_config = J(R"({"portMappings":[{"hostPort":8080}]})");
  r.config_args = J(R"({"labels":{"a":"b"}})");
  return r;
}

class FakeBackend : public CniBackend {
 public:
  StatusOr<CniResult> Add(const CniRequest& req) override {
    seen.push_back(req);
    if (!status.ok()) return status;
    return PodResult();
  }
  Status Del(const CniRequest& req) override { return Record(req); }
  Status Check(const CniRequest& req) override { return Record(req); }
  Status Gc(const CniRequest& req) override { return Record(req); }
  Status Ready(const CniRequest& req) override { return Record(req); }

  Status Record(const CniRequest& req) {
    seen.push_back(req);
    return status;
  }
  std::vector<CniRequest> seen;
  Status status;
};

void ExpectRoundTrip(const CniRequest& req) {
  StatusOr<CniRequest> back = DecodeCniRequest(EncodeCniRequest(req));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, req);
}

std::string FrameError(const std::string& frame) {
  StatusOr<CniRequest> r = DecodeCniRequest(J(frame));
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}

const std::string kFrameHead = R"({"op":"cni","cniVersion":"1.1.0","network":"egret",)";

TEST(CniFrame, RoundTripsEveryCommand) {
  CniRequest add = AddRequest();
  ExpectRoundTrip(add);

  CniRequest del = add;
  del.command = CniCommand::kDel;
  del.netns.clear();
  del.prev_result = PodResult();
  ExpectRoundTrip(del);

  CniRequest check = add;
  check.command = CniCommand::kCheck;
  check.prev_result = PodResult();
  ExpectRoundTrip(check);

  CniRequest gc;
  gc.command = CniCommand::kGc;
  gc.cni_version = "1.1.0";
  gc.network = "egret";
  gc.valid_attachments = {{"abc", "eth0"}, {"def", "net1"}};
  ExpectRoundTrip(gc);
  gc.valid_attachments.clear();  // "keep nothing" is a valid GC, distinct from "no list"
  ExpectRoundTrip(gc);

  CniRequest status;
  status.command = CniCommand::kStatus;
  status.cni_version = "1.1.0";
  status.network = "egret";
  ExpectRoundTrip(status);
}

TEST(CniFrame, HasTheDocumentedShape) {
  EXPECT_EQ(
      doc::ToJson(EncodeCniRequest(AddRequest())),
      R"({"op":"cni","command":"ADD","cniVersion":"1.0.0","network":"egret",)"
      R"("containerID":"abc","netns":"/run/netns/p1","ifname":"eth0",)"
      R"("args":{"K8S_POD_NAME":"web-1","K8S_POD_NAMESPACE":"shop"},"mtu":1450,)"
      R"("runtimeConfig":{"portMappings":[{"hostPort":8080}]},"configArgs":{"labels":{"a":"b"}}})");
}

TEST(CniFrame, IgnoresUnknownFields) {
  StatusOr<CniRequest> r =
      DecodeCniRequest(J(kFrameHead + R"("command":"STATUS","addedInAFutureRelease":{"x":1}})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command, CniCommand::kStatus);
}

TEST(CniFrame, ValidatesLikeTheInvocation) {
  EXPECT_EQ(FrameError(R"({"op":"get","command":"ADD"})"),
            "CNI request: op: \"get\" is not \"cni\"\nCNI request: cniVersion: Required value\n"
            "CNI request: network: Required value\nCNI request: containerID: Required value\n"
            "CNI request: netns: Required value\nCNI request: ifname: Required value");
  EXPECT_EQ(FrameError(kFrameHead + R"("command":"VERSION"})"),
            "CNI request: command: \"VERSION\" is not a command the agent serves: use ADD, DEL, "
            "CHECK, STATUS or GC");
  EXPECT_THAT(
      FrameError(R"({"op":"cni","command":"STATUS","cniVersion":"0.3.0","network":"egret"})"),
      HasSubstr("cniVersion: \"0.3.0\" is not a supported CNI version"));
  EXPECT_THAT(FrameError(R"({"op":"cni","command":"STATUS","cniVersion":"1.1.0","network":"-x"})"),
              HasSubstr("network: \"-x\" is not a valid network name"));
  std::string add = kFrameHead + R"("command":"ADD","containerID":"abc","ifname":"eth0",)";
  EXPECT_THAT(FrameError(add + R"("netns":"/tmp/x"})"),
              HasSubstr("CNI request: netns: \"/tmp/x\" is not a network namespace path"));
  EXPECT_THAT(FrameError(add + R"("netns":"/run/netns/x","mtu":100})"),
              HasSubstr("CNI request: mtu: 100 is out of range 576-65535"));
  EXPECT_THAT(FrameError(add + R"("netns":"/run/netns/x","args":{"K8S_POD_NAME":"x"}})"),
              HasSubstr("CNI request: args: give both K8S_POD_NAMESPACE and K8S_POD_NAME"));
  EXPECT_THAT(FrameError(add + R"("netns":"/run/netns/x","args":{"K8S_POD_NAME":1}})"),
              HasSubstr("CNI request: args[K8S_POD_NAME]: must be a string"));
  EXPECT_THAT(FrameError(add + R"("netns":"/run/netns/x","runtimeConfig":1})"),
              HasSubstr("CNI request: runtimeConfig: must be an object, not integer"));
  EXPECT_EQ(FrameError(
                kFrameHead +
                R"("command":"CHECK","containerID":"abc","ifname":"eth0","netns":"/run/netns/x"})"),
            "CNI request: prevResult: Required value: CHECK needs the result of the ADD");
  EXPECT_EQ(FrameError(kFrameHead + R"("command":"GC"})"),
            "CNI request: validAttachments: Required value: GC needs the list of attachments to "
            "keep");
  EXPECT_THAT(
      FrameError(kFrameHead + R"("command":"GC","validAttachments":[{"containerID":"a"}]})"),
      HasSubstr("CNI request: validAttachments[0].ifname: Required value"));
  EXPECT_EQ(FrameError("[]"), "CNI request: must be an object, not list");
}

TEST(CniDispatch, CallsTheBackendAndEncodesItsAnswer) {
  FakeBackend backend;
  doc::Value reply = HandleCniFrame(backend, EncodeCniRequest(AddRequest()));
  EXPECT_EQ(
      doc::ToJson(reply),
      R"({"ok":true,"result":{"cniVersion":"1.1.0","interfaces":[{"name":"eth0",)"
      R"("mac":"0a:58:0a:f4:01:05","sandbox":"/var/run/netns/cni-1"}],)"
      R"("ips":[{"address":"10.244.1.5/24","gateway":"10.244.1.1","interface":0}],"dns":{}}})");
  ASSERT_EQ(backend.seen.size(), 1u);
  EXPECT_EQ(backend.seen[0], AddRequest());

  for (CniCommand c :
       {CniCommand::kDel, CniCommand::kCheck, CniCommand::kGc, CniCommand::kStatus}) {
    CniRequest req = AddRequest();
    req.command = c;
    req.prev_result = PodResult();
    EXPECT_EQ(doc::ToJson(HandleCniFrame(backend, EncodeCniRequest(req))), R"({"ok":true})");
    EXPECT_EQ(backend.seen.back().command, c);
  }
  EXPECT_EQ(backend.seen.size(), 5u);
}

TEST(CniDispatch, MapsErrorsToCniCodes) {
  FakeBackend backend;
  backend.status = UnavailableError("node has no pod CIDR yet");
  EXPECT_EQ(
      doc::ToJson(HandleCniFrame(backend, EncodeCniRequest(AddRequest()))),
      R"({"ok":false,"error":{"code":"Unavailable","message":"node has no pod CIDR yet",)"
      R"("cniCode":11}})");
  CniRequest status;
  status.command = CniCommand::kStatus;
  status.cni_version = "1.1.0";
  status.network = "egret";
  EXPECT_THAT(doc::ToJson(HandleCniFrame(backend, EncodeCniRequest(status))),
              HasSubstr(R"("cniCode":50)"));
}

TEST(CniDispatch, RefusesBadFramesWithoutCallingTheBackend) {
  FakeBackend backend;
  doc::Value reply =
      HandleCniFrame(backend, J(kFrameHead + R"("command":"ADD","containerID":"../x"})"));
  EXPECT_EQ(reply.Find("ok")->as_bool(), false);
  EXPECT_EQ(reply.Find("error")->Find("code")->as_string(), "Invalid");
  EXPECT_EQ(reply.Find("error")->Find("cniCode")->as_int(), 7);
  EXPECT_THAT(reply.Find("error")->Find("message")->as_string(),
              HasSubstr("CNI request: containerID: \"../x\" is not a valid container ID"));
  EXPECT_TRUE(backend.seen.empty());
  reply = HandleCniFrame(backend, J("\"ADD\""));
  EXPECT_EQ(reply.Find("error")->Find("cniCode")->as_int(), 7);
  EXPECT_TRUE(backend.seen.empty());
}

TEST(CniCodes, OneTableForBothEnds) {
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kUnavailable), 11);
  EXPECT_EQ(CniCodeFor(CniCommand::kDel, Code::kDeadlineExceeded), 11);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kConflict), 11);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kGone), 11);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kNotFound), 11);
  EXPECT_EQ(CniCodeFor(CniCommand::kCheck, Code::kNotFound), 3);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kInvalid), 7);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kFailedPrecondition), 101);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kAlreadyExists), 102);
  EXPECT_EQ(CniCodeFor(CniCommand::kAdd, Code::kUnauthorized), 103);
  EXPECT_EQ(CniCodeFor(CniCommand::kGc, Code::kInternal), 100);
  EXPECT_EQ(CniCodeFor(CniCommand::kStatus, Code::kUnavailable), 50);
  EXPECT_EQ(CniCodeFor(CniCommand::kStatus, Code::kInternal), 50);
  EXPECT_EQ(CniCodeFor(CniCommand::kStatus, Code::kFailedPrecondition), 51);
}

TEST(CniReply, DecodesResultsAndErrors) {
  auto ok = DecodeCniReply(CniCommand::kAdd, EncodeCniReply(CniCommand::kAdd, PodResult()));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(**ok, PodResult());
  auto del = DecodeCniReply(CniCommand::kDel, J(R"({"ok":true})"));
  ASSERT_TRUE(del.ok());
  EXPECT_FALSE(del->has_value());

  auto err = DecodeCniReply(CniCommand::kAdd,
                            EncodeCniReply(CniCommand::kAdd, FailedPreconditionError("pool full")));
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code, 101);
  EXPECT_EQ(err.error().msg, "pool full");
  EXPECT_EQ(err.error().details, "agent error \"FailedPrecondition\"");
  // Without a cniCode (or with one out of range) the plugin applies the same table.
  err = DecodeCniReply(CniCommand::kCheck,
                       J(R"({"ok":false,"error":{"code":"NotFound","message":"no such pod"}})"));
  EXPECT_EQ(err.error().code, 3);
  err = DecodeCniReply(CniCommand::kAdd,
                       J(R"({"ok":false,"error":{"code":"Weird","message":"m","cniCode":0}})"));
  EXPECT_EQ(err.error().code, 100);
  err = DecodeCniReply(
      CniCommand::kStatus,
      J(R"({"ok":false,"error":{"code":"Unavailable","message":"m","cniCode":51}})"));
  EXPECT_EQ(err.error().code, 51);
}

TEST(CniReply, MalformedRepliesAreAgentFailures) {
  for (const char* bad :
       {R"({})", R"({"ok":"yes"})", R"({"ok":false})", R"({"ok":false,"error":{"code":"Invalid"}})",
        R"({"ok":true})", R"({"ok":true,"result":{"ips":[{"address":"nope"}]}})", R"([])"}) {
    auto r = DecodeCniReply(CniCommand::kAdd, J(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, 100) << bad;
    EXPECT_THAT(r.error().msg, HasSubstr("the Egret agent sent a malformed reply")) << bad;
  }
  auto r =
      DecodeCniReply(CniCommand::kAdd, J(R"({"ok":true,"result":{"ips":[{"address":"nope"}]}})"));
  EXPECT_THAT(r.error().msg, HasSubstr("result.ips[0].address: \"nope\" is not an address"));
}

}  // namespace
}  // namespace egret::cni
