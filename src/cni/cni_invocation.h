// Parsing and validation of one plugin invocation: the CNI_* environment and the network
// configuration on stdin. Pure, so that hostile input can be fuzzed and every rule unit-tested.
// A problem yields the CniError the runtime must see, and nothing is sent to the agent.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "cni/cni_backend.h"
#include "cni/cni_types.h"

namespace egret::cni {

using CniEnv = std::map<std::string, std::string, std::less<>>;

// Larger network configurations are refused unread: the runtime's own are a few KiB, even
// with a prevResult and a long GC list.
inline constexpr size_t kMaxStdinBytes = size_t{1} << 20;
inline constexpr int kDefaultAgentTimeoutSeconds = 60;
inline constexpr int kMaxAgentTimeoutSeconds = 600;

struct CniInvocation {
  CniRequest request;  // VERSION: only command and cni_version (may be empty) are set
  std::string agent_socket = std::string(kDefaultAgentSocket);
  int agent_timeout_seconds = kDefaultAgentTimeoutSeconds;
};

// Error codes, checked in this order:
//   6  stdin larger than kMaxStdinBytes
//   4  CNI_COMMAND missing or unknown; for ADD/CHECK/DEL a missing or invalid
//      CNI_CONTAINERID, CNI_IFNAME, CNI_NETNS (optional for DEL), or a malformed CNI_ARGS
//   6  stdin is not a JSON object (VERSION accepts an empty stdin)
//   1  cniVersion not in kSupportedVersions (VERSION answers anyway)
//   7  any other configuration problem: name, type (must be "egret"), agentSocket,
//      agentTimeoutSeconds, mtu, runtimeConfig, args, prevResult (required for CHECK),
//      cni.dev/valid-attachments (required for GC; cni.dev/attachments is read when absent)
// Other top-level keys (ipam, dns, capabilities, disableCheck, ...) are accepted and ignored.
// The error is in the configuration's cniVersion when that is a supported one.
CniErrorOr<CniInvocation> ParseInvocation(const CniEnv& env, std::string_view stdin_text);

}  // namespace egret::cni
