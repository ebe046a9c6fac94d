#include "cni/agent_client.h"

#include "api/transport.h"

namespace egret::cni {

StatusOr<doc::Value> UnixAgentChannel::Call(const std::string& socket_path,
                                            const doc::Value& request,
                                            std::chrono::milliseconds timeout) {
  api::Address addr;
  addr.type = api::Address::Type::kUnix;
  addr.path = socket_path;
  ASSIGN_OR_RETURN(api::Connection conn, api::Dial(addr));
  RETURN_IF_ERROR(conn.Write(request));
  return conn.Read(timeout);
}

}  // namespace egret::cni
