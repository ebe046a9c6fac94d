// The real AgentChannel: one connection per request to the agent's unix socket, carrying
// newline-delimited JSON frames (api/transport.h).
#pragma once

#include "cni/cni_plugin.h"

namespace egret::cni {

class UnixAgentChannel : public AgentChannel {
 public:
  StatusOr<doc::Value> Call(const std::string& socket_path, const doc::Value& request,
                            std::chrono::milliseconds timeout) override;
};

}  // namespace egret::cni
