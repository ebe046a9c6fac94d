// The egret-cni program as a function: environment and stdin in, stdout text and exit code
// out. The agent is reached through AgentChannel, so tests run the whole plugin in-process
// against a fake, and main.cc only wires the real socket.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cni/cni_invocation.h"
#include "common/status.h"
#include "doc/value.h"

namespace egret::cni {

// The agent as the plugin sees it: one request frame in, one reply frame out.
class AgentChannel {
 public:
  virtual ~AgentChannel() = default;
  // Sends `request` to the agent listening on the unix socket `socket_path` and waits up to
  // `timeout` for its reply. Any error means the agent was not reached or did not answer
  // (DeadlineExceeded for a timeout); the request may or may not have been acted on.
  virtual StatusOr<doc::Value> Call(const std::string& socket_path, const doc::Value& request,
                                    std::chrono::milliseconds timeout) = 0;
};

struct PluginOutput {
  std::string stdout_text;  // JSON and a newline, or empty
  int exit_code = 0;
};

// One invocation, per the CNI spec:
//   VERSION  answered here: {"cniVersion", "supportedVersions"}; the agent is not asked
//   ADD      the result in the configuration's cniVersion
//   DEL, CHECK, STATUS, GC   nothing on success
//   errors   {"cniVersion", "code", "msg", "details"} and exit code 1; an invalid invocation
//            (see ParseInvocation) never reaches the agent. An agent that cannot be reached or
//            does not answer in agentTimeoutSeconds gives code 11 (try again later), or 50
//            (not available) for STATUS.
PluginOutput RunPlugin(const CniEnv& env, std::string_view stdin_text, AgentChannel& agent);

}  // namespace egret::cni
