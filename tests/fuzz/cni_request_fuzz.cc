// Fuzz target: a CNI invocation (environment + stdin) through the whole plugin, with an
// in-process agent, and the same bytes as a frame an agent might receive. Any input must give
// a clean CNI answer: no crash, leak or UB, and the invariants below hold.
//
// Input format: "KEY=VALUE" lines (the environment), a blank line, then stdin. Without a blank
// line, the first byte picks a command and a valid attachment environment is used, so that the
// fuzzer spends its effort on the network configuration.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cni/cni_backend.h"
#include "cni/cni_invocation.h"
#include "cni/cni_plugin.h"
#include "common/strings.h"
#include "doc/json.h"

namespace {

using namespace egret;
using namespace egret::cni;

class Backend : public CniBackend {
 public:
  StatusOr<CniResult> Add(const CniRequest& req) override {
    CniResult r;
    if (req.prev_result) r = *req.prev_result;  // echo something request-shaped
    return r;
  }
  Status Del(const CniRequest&) override { return Status::Ok(); }
  Status Check(const CniRequest&) override { return NotFoundError("unknown"); }
  Status Gc(const CniRequest&) override { return Status::Ok(); }
  Status Ready(const CniRequest&) override { return UnavailableError("not ready"); }
};

class Loopback : public AgentChannel {
 public:
  StatusOr<doc::Value> Call(const std::string&, const doc::Value& request,
                            std::chrono::milliseconds) override {
    auto wire = doc::ParseJson(doc::ToJson(request));
    if (!wire.ok()) __builtin_trap();  // what the plugin sends must be valid JSON
    return HandleCniFrame(backend_, *wire);
  }

 private:
  Backend backend_;
};

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

CniEnv SplitInput(std::string_view data, std::string_view* stdin_text) {
  CniEnv env;
  size_t blank = data.find("\n\n");
  if (blank == std::string_view::npos) {
    constexpr std::string_view kCommands[] = {"ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION"};
    env = {{"CNI_COMMAND", data.empty() ? "ADD" : std::string(kCommands[uint8_t(data[0]) % 6])},
           {"CNI_CONTAINERID", "c1"},
           {"CNI_NETNS", "/run/netns/p1"},
           {"CNI_IFNAME", "eth0"},
           {"CNI_ARGS", "K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod"}};
    *stdin_text = data.empty() ? data : data.substr(1);
    return env;
  }
  for (std::string_view line : Split(data.substr(0, blank), '\n')) {
    size_t eq = line.find('=');
    if (eq != std::string_view::npos) env[std::string(line.substr(0, eq))] = line.substr(eq + 1);
  }
  *stdin_text = data.substr(blank + 2);
  return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view stdin_text;
  CniEnv env = SplitInput(text, &stdin_text);

  // A valid invocation makes a frame that the agent decodes to the same request.
  CniErrorOr<CniInvocation> inv = ParseInvocation(env, stdin_text);
  if (inv.ok() && inv->request.command != CniCommand::kVersion) {
    StatusOr<CniRequest> back = DecodeCniRequest(EncodeCniRequest(inv->request));
    Check(back.ok() && *back == inv->request);
  }

  // The plugin always answers with nothing or one JSON document; failures carry a code.
  Loopback agent;
  PluginOutput out = RunPlugin(env, stdin_text, agent);
  if (!out.stdout_text.empty()) {
    auto v = doc::ParseJson(out.stdout_text);
    Check(v.ok());
    const doc::Value* code = v->Find("code");
    Check((out.exit_code != 0) == (code != nullptr && code->is_int() && code->as_int() > 0));
  }
  Check(out.exit_code == 0 || !out.stdout_text.empty());

  // The same bytes as a frame from a hostile peer of the agent: always one reply.
  if (auto frame = doc::ParseJson(stdin_text); frame.ok()) {
    Backend backend;
    doc::Value reply = HandleCniFrame(backend, *frame);
    Check(reply.Find("ok") != nullptr);
  }
  return 0;
}
