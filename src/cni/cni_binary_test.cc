// The egret-cni binary end to end: executed as a runtime would (clean environment, config on
// stdin), talking to a tiny fake agent that listens on a unix socket with the real transport
// and answers with HandleCniFrame. No root needed: nothing touches the network.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/transport.h"
#include "cni/cni_backend.h"
#include "doc/json.h"

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

class RecordingBackend : public CniBackend {
 public:
  StatusOr<CniResult> Add(const CniRequest& req) override {
    (void)Record(req);
    CniResult r;
    r.interfaces.push_back({.name = req.ifname,
                            .mac = "0a:58:0a:f4:01:05",
                            .mtu = 1450,
                            .sandbox = req.netns,
                            .socket_path = "",
                            .pci_id = ""});
    r.ips.push_back({.address = *model::IpAddress::Parse("10.244.1.5"),
                     .prefix_len = 24,
                     .gateway = model::IpAddress::Parse("10.244.1.1"),
                     .interface = 0});
    return r;
  }
  Status Del(const CniRequest& req) override { return Record(req); }
  Status Check(const CniRequest& req) override { return Record(req); }
  Status Gc(const CniRequest& req) override { return Record(req); }
  Status Ready(const CniRequest& req) override { return Record(req); }

  std::vector<CniRequest> Seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  Status Record(const CniRequest& req) {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(req);
    return Status::Ok();
  }
  std::mutex mu_;
  std::vector<CniRequest> seen_;
};

// How the fake agent treats a connection.
enum class AgentMode { kAnswer, kSilent, kHangUp };

class FakeAgent {
 public:
  FakeAgent(const std::string& path, AgentMode mode) : mode_(mode) {
    api::Address addr;
    addr.path = path;
    auto l = api::Listener::Listen(addr);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    if (!l.ok()) return;
    listener_.emplace(std::move(*l));
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeAgent() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  RecordingBackend& backend() { return backend_; }

 private:
  void Serve() {
    std::vector<api::Connection> held;  // kSilent keeps connections open without answering
    while (!stop_) {
      auto conn = listener_->Accept(std::chrono::milliseconds(50));
      if (!conn.ok()) continue;
      if (mode_ == AgentMode::kHangUp) continue;  // closes at once
      auto frame = conn->Read(std::chrono::seconds(5));
      if (!frame.ok()) continue;
      if (mode_ == AgentMode::kSilent) {
        held.push_back(std::move(*conn));
        continue;
      }
      (void)conn->Write(HandleCniFrame(backend_, *frame));
    }
  }

  AgentMode mode_;
  RecordingBackend backend_;
  std::optional<api::Listener> listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Outcome {
  int exit_code = -1;
  std::string out;
  doc::Value json;
};

// Runs the binary with exactly `env` and `input` on stdin.
Outcome RunBinary(const std::vector<std::string>& env, const std::string& input) {
  int in[2], out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0) return {};
  std::vector<char*> envp;
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>(EGRET_CNI_BINARY), nullptr};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  // The plugin stops reading past its limit and exits: a short write (EPIPE) is expected then.
  size_t off = 0;
  while (off < input.size()) {
    ssize_t n = ::write(in[1], input.data() + off, input.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(in[1]);
  Outcome o;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) o.out.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!o.out.empty()) {
    auto v = doc::ParseJson(o.out);
    EXPECT_TRUE(v.ok()) << o.out;
    if (v.ok()) o.json = *v;
  }
  return o;
}

class CniBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::signal(SIGPIPE, SIG_IGN);
    std::string tmpl = "/tmp/egt-cni-" + std::to_string(::getpid()) + "-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    socket_ = dir_ + "/agent.sock";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Config(const std::string& extra = "") const {
    return R"({"cniVersion":"1.1.0","name":"egret","type":"egret","agentSocket":")" + socket_ +
           R"(")" + extra + "}";
  }
  static std::vector<std::string> Env(const std::string& command) {
    return {"CNI_COMMAND=" + command,
            "CNI_CONTAINERID=3f6940ab5ab4",
            "CNI_NETNS=/var/run/netns/cni-1",
            "CNI_IFNAME=eth0",
            "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1",
            "CNI_PATH=/opt/cni/bin"};
  }
  static int64_t CodeOf(const Outcome& o) {
    const doc::Value* c = o.json.Find("code");
    return c && c->is_int() ? c->as_int() : -1;
  }
  static std::string MsgOf(const Outcome& o) {
    const doc::Value* m = o.json.Find("msg");
    return m && m->is_string() ? m->as_string() : "";
  }

  std::string dir_;
  std::string socket_;
};

TEST_F(CniBinaryTest, AddReachesTheAgentAndPrintsTheResult) {
  FakeAgent agent(socket_, AgentMode::kAnswer);
  Outcome o = RunBinary(Env("ADD"), Config(R"(,"mtu":1450)"));
  EXPECT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(doc::ToJson(o.json),
            R"({"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:f4:01:05",)"
            R"("mtu":1450,"sandbox":"/var/run/netns/cni-1"}],"ips":[{"address":"10.244.1.5/24",)"
            R"("gateway":"10.244.1.1","interface":0}],"dns":{}})");
  std::vector<CniRequest> seen = agent.backend().Seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].container_id, "3f6940ab5ab4");
  EXPECT_EQ(seen[0].pod_namespace, "shop");
  EXPECT_EQ(seen[0].pod_name, "web-1");
  EXPECT_EQ(seen[0].mtu, 1450);
}

TEST_F(CniBinaryTest, DelCheckStatusAndGcSucceedSilently) {
  FakeAgent agent(socket_, AgentMode::kAnswer);
  std::string prev = R"(,"prevResult":{"cniVersion":"1.1.0","ips":[{"address":"10.244.1.5/24"}]})";
  EXPECT_EQ(RunBinary(Env("DEL"), Config(prev)).exit_code, 0);
  EXPECT_EQ(
      RunBinary({"CNI_COMMAND=DEL", "CNI_CONTAINERID=x1", "CNI_IFNAME=eth0"}, Config()).exit_code,
      0);
  Outcome check = RunBinary(Env("CHECK"), Config(prev));
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_EQ(check.out, "");
  EXPECT_EQ(RunBinary({"CNI_COMMAND=STATUS"}, Config()).exit_code, 0);
  Outcome gc =
      RunBinary({"CNI_COMMAND=GC", "CNI_PATH=/opt/cni/bin"},
                Config(R"(,"cni.dev/valid-attachments":[{"containerID":"k1","ifname":"eth0"}])"));
  EXPECT_EQ(gc.exit_code, 0) << gc.out;
  std::vector<CniRequest> seen = agent.backend().Seen();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[1].netns, "");
  EXPECT_EQ(seen[2].prev_result->ips[0].address.ToString(), "10.244.1.5");
  EXPECT_EQ(seen[4].valid_attachments, (std::vector<CniAttachment>{{"k1", "eth0"}}));
}

TEST_F(CniBinaryTest, VersionNeedsNoAgent) {
  Outcome o = RunBinary({"CNI_COMMAND=VERSION"}, R"({"cniVersion":"0.4.0"})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(doc::ToJson(o.json),
            R"({"cniVersion":"0.4.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]})");
}

TEST_F(CniBinaryTest, AgentDownMeansTryAgainLater) {
  Outcome o = RunBinary(Env("ADD"), Config());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(CodeOf(o), 11);
  EXPECT_EQ(MsgOf(o), "the Egret agent at " + socket_ + " is not reachable: try again later");
  EXPECT_THAT(o.json.Find("details")->as_string(), HasSubstr("No such file or directory"));
  o = RunBinary({"CNI_COMMAND=STATUS"}, Config());
  EXPECT_EQ(CodeOf(o), 50);
}

TEST_F(CniBinaryTest, AgentThatHangsUpOrStaysSilent) {
  {
    FakeAgent agent(socket_, AgentMode::kHangUp);
    Outcome o = RunBinary(Env("ADD"), Config());
    EXPECT_EQ(CodeOf(o), 11) << o.out;
  }
  FakeAgent agent(socket_, AgentMode::kSilent);
  Outcome o = RunBinary(Env("DEL"), Config(R"(,"agentTimeoutSeconds":1)"));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(CodeOf(o), 11);
  EXPECT_EQ(MsgOf(o), "the Egret agent at " + socket_ +
                          " did not answer within 1 s: try again "
                          "later");
}

TEST_F(CniBinaryTest, HostileInputIsRefusedBeforeTheAgent) {
  FakeAgent agent(socket_, AgentMode::kAnswer);
  Outcome o = RunBinary(Env("ADD"), std::string(3 << 20, ' '));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(CodeOf(o), 6);
  EXPECT_EQ(MsgOf(o), "the network configuration on stdin is larger than 1 MiB");
  EXPECT_EQ(CodeOf(RunBinary(Env("ADD"), "{\"cniVersion\": [")), 6);
  EXPECT_EQ(CodeOf(RunBinary(Env("ADD"), std::string("\0\xff\xfe", 3))), 6);
  std::vector<std::string> env = Env("ADD");
  env[2] = "CNI_NETNS=/var/run/netns/../../../etc/shadow";
  o = RunBinary(env, Config());
  EXPECT_EQ(CodeOf(o), 4);
  EXPECT_THAT(MsgOf(o), HasSubstr("CNI_NETNS: \"/var/run/netns/../../../etc/shadow\" is not a "
                                  "normalized path"));
  env = Env("ADD");
  env[3] = "CNI_IFNAME=" + std::string(16, 'x');
  EXPECT_EQ(CodeOf(RunBinary(env, Config())), 4);
  EXPECT_EQ(CodeOf(RunBinary(Env("ADD"), Config(R"(,"type":"bridge")"))), 6);  // duplicate key
  EXPECT_EQ(
      CodeOf(RunBinary(Env("ADD"), R"({"cniVersion":"0.1.0","name":"egret","type":"egret"})")), 1);
  EXPECT_EQ(CodeOf(RunBinary({"CNI_COMMAND=EXPLODE"}, Config())), 4);
  EXPECT_TRUE(agent.backend().Seen().empty());
}

}  // namespace
}  // namespace egret::cni
