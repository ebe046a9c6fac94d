// The whole plugin in-process: invocation → frame → (text, as on the wire) → HandleCniFrame →
// fake backend → reply → stdout and exit code, for every command, plus an agent that is down,
// slow or broken, and input that must never reach the agent.
#include "cni/cni_plugin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "doc/json.h"

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

CniResult PodResult() {
  CniResult r;
  r.interfaces.push_back({.name = "eth0",
                          .mac = "0a:58:0a:f4:01:05",
                          .mtu = 1450,
                          .sandbox = "/var/run/netns/cni-1",
                          .socket_path = "",
                          .pci_id = ""});
  r.ips.push_back({.address = *model::IpAddress::Parse("10.244.1.5"),
                   .prefix_len = 24,
                   .gateway = model::IpAddress::Parse("10.244.1.1"),
                   .interface = 0});
  r.routes.push_back({.dst = *model::Cidr::Parse("0.0.0.0/0"),
                      .gw = model::IpAddress::Parse("10.244.1.1"),
                      .mtu = std::nullopt,
                      .advmss = std::nullopt,
                      .priority = std::nullopt,
                      .table = std::nullopt,
                      .scope = std::nullopt});
  return r;
}

class FakeBackend : public CniBackend {
 public:
  StatusOr<CniResult> Add(const CniRequest& req) override {
    last = req;
    if (!status.ok()) return status;
    return PodResult();
  }
  Status Del(const CniRequest& req) override { return Record(req); }
  Status Check(const CniRequest& req) override { return Record(req); }
  Status Gc(const CniRequest& req) override { return Record(req); }
  Status Ready(const CniRequest& req) override { return Record(req); }
  Status Record(const CniRequest& req) {
    last = req;
    return status;
  }
  std::optional<CniRequest> last;
  Status status;
};

// Serves frames with HandleCniFrame after a trip through JSON text, like the socket; or fails
// like an agent that is down; or answers with a canned reply.
class LoopbackChannel : public AgentChannel {
 public:
  explicit LoopbackChannel(FakeBackend* backend) : backend_(backend) {}
  StatusOr<doc::Value> Call(const std::string& socket_path, const doc::Value& request,
                            std::chrono::milliseconds timeout) override {
    ++calls;
    socket = socket_path;
    last_timeout = timeout;
    if (!fail.ok()) return fail;
    if (canned) return *canned;
    auto wire = doc::ParseJson(doc::ToJson(request));
    if (!wire.ok()) return wire.status();
    return doc::ParseJson(doc::ToJson(HandleCniFrame(*backend_, *wire)));
  }
  int calls = 0;
  std::string socket;
  std::chrono::milliseconds last_timeout{0};
  Status fail;
  std::optional<doc::Value> canned;

 private:
  FakeBackend* backend_;
};

CniEnv Env(std::string_view command) {
  return {{"CNI_COMMAND", std::string(command)},
          {"CNI_CONTAINERID", "3f6940ab5ab4"},
          {"CNI_NETNS", "/var/run/netns/cni-1"},
          {"CNI_IFNAME", "eth0"},
          {"CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1"}};
}

std::string Config(const std::string& version = "1.1.0", const std::string& extra = "") {
  return R"({"cniVersion":")" + version + R"(","name":"egret","type":"egret")" + extra + "}";
}

struct Outcome {
  PluginOutput out;
  doc::Value json;  // stdout parsed; null when empty
};

class CniPluginTest : public ::testing::Test {
 protected:
  Outcome Exec(const CniEnv& env, const std::string& stdin_text) {
    Outcome r{RunPlugin(env, stdin_text, channel_), doc::Value()};
    if (!r.out.stdout_text.empty()) {
      auto v = doc::ParseJson(r.out.stdout_text);
      EXPECT_TRUE(v.ok()) << r.out.stdout_text;
      if (v.ok()) r.json = *v;
    }
    return r;
  }
  int64_t CodeOf(const Outcome& r) {
    const doc::Value* c = r.json.Find("code");
    return c && c->is_int() ? c->as_int() : -1;
  }
  std::string MsgOf(const Outcome& r) {
    const doc::Value* m = r.json.Find("msg");
    return m && m->is_string() ? m->as_string() : "";
  }

  FakeBackend backend_;
  LoopbackChannel channel_{&backend_};
};

TEST_F(CniPluginTest, AddPrintsTheResultInTheConfiguredVersion) {
  Outcome r = Exec(Env("ADD"), Config("1.0.0", R"(,"mtu":1450)"));
  EXPECT_EQ(r.out.exit_code, 0);
  EXPECT_EQ(doc::ToJson(r.json),
            R"({"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:f4:01:05",)"
            R"("sandbox":"/var/run/netns/cni-1"}],"ips":[{"address":"10.244.1.5/24",)"
            R"("gateway":"10.244.1.1","interface":0}],"routes":[{"dst":"0.0.0.0/0",)"
            R"("gw":"10.244.1.1"}],"dns":{}})");
  ASSERT_TRUE(backend_.last.has_value());
  EXPECT_EQ(backend_.last->pod_namespace, "shop");
  EXPECT_EQ(backend_.last->pod_name, "web-1");
  EXPECT_EQ(backend_.last->mtu, 1450);
  EXPECT_EQ(channel_.socket, "/run/egret/agent.sock");
  EXPECT_EQ(channel_.last_timeout, std::chrono::seconds(60));

  r = Exec(Env("ADD"), Config("0.4.0"));
  EXPECT_THAT(r.out.stdout_text, HasSubstr(R"("version": "4")"));
  r = Exec(Env("ADD"), Config("1.1.0"));
  EXPECT_EQ(r.json.Find("interfaces")->as_list()[0].Find("mtu")->as_int(), 1450);
}

TEST_F(CniPluginTest, OtherCommandsPrintNothingOnSuccess) {
  std::string prev = R"(,"prevResult":{"ips":[{"address":"10.244.1.5/24"}]})";
  for (auto [cmd, extra] :
       {std::pair{"DEL", prev}, std::pair{"CHECK", prev}, std::pair{"STATUS", std::string()},
        std::pair{"GC",
                  std::string(
                      R"(,"cni.dev/valid-attachments":[{"containerID":"a","ifname":"eth0"}])")}}) {
    Outcome r = Exec(Env(cmd), Config("1.1.0", extra));
    EXPECT_EQ(r.out.exit_code, 0) << cmd << ": " << r.out.stdout_text;
    EXPECT_EQ(r.out.stdout_text, "") << cmd;
    EXPECT_EQ(CommandName(backend_.last->command), cmd);
  }
  EXPECT_EQ(backend_.last->valid_attachments, (std::vector<CniAttachment>{{"a", "eth0"}}));
  EXPECT_EQ(channel_.calls, 4);
}

TEST_F(CniPluginTest, VersionIsAnsweredWithoutTheAgent) {
  Outcome r = Exec({{"CNI_COMMAND", "VERSION"}}, R"({"cniVersion":"1.0.0"})");
  EXPECT_EQ(r.out.exit_code, 0);
  EXPECT_EQ(doc::ToJson(r.json),
            R"({"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]})");
  r = Exec({{"CNI_COMMAND", "VERSION"}}, "");
  EXPECT_EQ(r.json.Find("cniVersion")->as_string(), "1.1.0");
  EXPECT_EQ(channel_.calls, 0);
}

TEST_F(CniPluginTest, AgentDownMeansTryAgainLater) {
  channel_.fail = UnavailableError("connect unix:/run/egret/agent.sock: No such file or directory");
  Outcome r = Exec(Env("ADD"), Config("1.0.0"));
  EXPECT_EQ(r.out.exit_code, 1);
  EXPECT_EQ(doc::ToJson(r.json),
            R"({"cniVersion":"1.0.0","code":11,"msg":"the Egret agent at /run/egret/agent.sock )"
            R"(is not reachable: try again later","details":"connect unix:/run/egret/agent.sock: )"
            R"(No such file or directory"})");
  channel_.fail = DeadlineExceededError("timed out waiting for the peer");
  r = Exec(Env("DEL"), Config("1.1.0", R"(,"agentTimeoutSeconds":3)"));
  EXPECT_EQ(CodeOf(r), 11);
  EXPECT_EQ(MsgOf(r),
            "the Egret agent at /run/egret/agent.sock did not answer within 3 s: try "
            "again later");
  EXPECT_EQ(channel_.last_timeout, std::chrono::seconds(3));
  // STATUS has codes of its own for "not available".
  r = Exec({{"CNI_COMMAND", "STATUS"}}, Config());
  EXPECT_EQ(CodeOf(r), 50);
  EXPECT_EQ(MsgOf(r), "the Egret agent at /run/egret/agent.sock did not answer within 60 s");
}

TEST_F(CniPluginTest, AgentErrorsKeepTheirMessage) {
  backend_.status = FailedPreconditionError("pod CIDR \"10.244.1.0/24\" is full");
  Outcome r = Exec(Env("ADD"), Config());
  EXPECT_EQ(r.out.exit_code, 1);
  EXPECT_EQ(CodeOf(r), 101);
  EXPECT_EQ(MsgOf(r), "pod CIDR \"10.244.1.0/24\" is full");
  backend_.status = NotFoundError("no attachment eth0 of 3f6940ab5ab4");
  r = Exec(Env("CHECK"), Config("1.1.0", R"(,"prevResult":{})"));
  EXPECT_EQ(CodeOf(r), 3);
  backend_.status = FailedPreconditionError("datapath degraded");
  r = Exec({{"CNI_COMMAND", "STATUS"}}, Config());
  EXPECT_EQ(CodeOf(r), 51);
}

TEST_F(CniPluginTest, MalformedAgentReplyIsAnAgentFailure) {
  channel_.canned = *doc::ParseJson(R"({"ok":true,"result":{"interfaces":[{"name":"x/y"}]}})");
  Outcome r = Exec(Env("ADD"), Config());
  EXPECT_EQ(r.out.exit_code, 1);
  EXPECT_EQ(CodeOf(r), 100);
  EXPECT_THAT(MsgOf(r), HasSubstr("malformed reply: result.interfaces[0].name"));
}

TEST_F(CniPluginTest, HostileInputNeverReachesTheAgent) {
  struct Case {
    CniEnv env;
    std::string stdin_text;
    int code;
  };
  CniEnv env = Env("ADD");
  std::vector<Case> cases = {
      {env, "{not json", 6},
      {env, std::string(kMaxStdinBytes + 1, '{'), 6},
      {env, Config("0.2.0"), 1},
      {env, Config("1.1.0", R"(,"type2":1,"agentSocket":"../agent.sock")"), 7},
      {{{"CNI_COMMAND", "ADD"}}, Config(), 4},
      {{{"CNI_COMMAND", "ADD; rm -rf /"}}, Config(), 4},
      {{{"CNI_COMMAND", "ADD"},
        {"CNI_CONTAINERID", "x"},
        {"CNI_IFNAME", "eth0"},
        {"CNI_NETNS", "/var/run/netns/../../../root"}},
       Config(),
       4},
      {{{"CNI_COMMAND", "ADD"},
        {"CNI_CONTAINERID", std::string(300, 'a')},
        {"CNI_IFNAME", "eth0"},
        {"CNI_NETNS", "/proc/1/ns/net"}},
       Config(),
       4},
      {{{"CNI_COMMAND", "DEL"}, {"CNI_CONTAINERID", "x"}, {"CNI_IFNAME", "eth0/../../x"}},
       Config(),
       4},
  };
  for (const Case& c : cases) {
    Outcome r = Exec(c.env, c.stdin_text);
    EXPECT_EQ(r.out.exit_code, 1) << c.stdin_text.substr(0, 80);
    EXPECT_EQ(CodeOf(r), c.code) << MsgOf(r);
    EXPECT_TRUE(r.json.Find("cniVersion")) << MsgOf(r);
  }
  EXPECT_EQ(channel_.calls, 0);
}

}  // namespace
}  // namespace egret::cni
