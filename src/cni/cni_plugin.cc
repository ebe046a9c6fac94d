#include "cni/cni_plugin.h"

#include "cni/cni_backend.h"
#include "doc/json.h"

namespace egret::cni {
namespace {

PluginOutput Print(const doc::Value& v, int exit_code) {
  return {.stdout_text = doc::ToJson(v, {.pretty = true}) + "\n", .exit_code = exit_code};
}

PluginOutput Fail(CniError e, const std::string& version) {
  if (IsSupportedVersion(version)) e.version = version;
  return Print(EncodeCniError(e), 1);
}

PluginOutput Version(const CniRequest& req) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("cniVersion", IsSupportedVersion(req.cni_version) ? req.cni_version : kLatestVersion);
  doc::Value list = doc::Value::EmptyList();
  for (std::string_view s : kSupportedVersions) list.Append(s);
  v.Set("supportedVersions", std::move(list));
  return Print(v, 0);
}

CniError Unreachable(const CniInvocation& inv, const Status& why) {
  std::string where = "the Egret agent at " + inv.agent_socket;
  CniError e;
  e.details = why.message();
  if (why.code() == Code::kDeadlineExceeded) {
    e.msg = where + " did not answer within " + std::to_string(inv.agent_timeout_seconds) + " s";
  } else {
    e.msg = where + " is not reachable";
  }
  if (inv.request.command == CniCommand::kStatus) {
    e.code = code::kPluginNotAvailable;
  } else {
    e.code = code::kTryAgainLater;
    e.msg += ": try again later";
  }
  return e;
}

}  // namespace

PluginOutput RunPlugin(const CniEnv& env, std::string_view stdin_text, AgentChannel& agent) {
  CniErrorOr<CniInvocation> inv = ParseInvocation(env, stdin_text);
  if (!inv.ok()) return Print(EncodeCniError(inv.error()), 1);
  const CniRequest& req = inv->request;
  if (req.command == CniCommand::kVersion) return Version(req);

  StatusOr<doc::Value> reply = agent.Call(inv->agent_socket, EncodeCniRequest(req),
                                          std::chrono::seconds(inv->agent_timeout_seconds));
  if (!reply.ok()) return Fail(Unreachable(*inv, reply.status()), req.cni_version);
  CniErrorOr<std::optional<CniResult>> answer = DecodeCniReply(req.command, *reply);
  if (!answer.ok()) return Fail(answer.error(), req.cni_version);
  if (req.command != CniCommand::kAdd) return {};
  return Print(EncodeCniResult(**answer, req.cni_version), 0);
}

}  // namespace egret::cni
