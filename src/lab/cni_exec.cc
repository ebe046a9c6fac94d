#include "lab/cni_exec.h"

#include <cstdlib>

#include "common/strings.h"
#include "doc/json.h"
#include "lab/process.h"

namespace egret::lab {
namespace {

constexpr std::chrono::milliseconds kCniTimeout{60000};

StatusOr<RunResult> RunPlugin(const CniCall& call, std::string_view command) {
  RunOptions run;
  run.netns_path = call.node_netns;
  run.argv = {call.plugin};
  run.env = CniEnvironment(call, command);
  run.stdin_data = CniNetworkConfig(call);
  run.timeout = kCniTimeout;
  auto result = RunCaptured(run);
  if (!result.ok()) {
    return result.status().WithContext("CNI " + std::string(command) + " for " + call.what);
  }
  return result;
}

}  // namespace

std::vector<std::string> CniEnvironment(const CniCall& call, std::string_view command) {
  const char* path = std::getenv("PATH");
  std::string dir = call.plugin.substr(0, call.plugin.rfind('/'));
  return {
      "CNI_COMMAND=" + std::string(command),
      "CNI_CONTAINERID=" + call.container_id,
      "CNI_NETNS=" + call.pod_netns,
      "CNI_IFNAME=eth0",
      "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=" + call.pod.ns +
          ";K8S_POD_NAME=" + call.pod.name + ";K8S_POD_INFRA_CONTAINER_ID=" + call.container_id,
      "CNI_PATH=" + dir,
      std::string("PATH=") + (path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"),
  };
}

std::string CniNetworkConfig(const CniCall& call) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("cniVersion", "1.1.0");
  v.Set("name", "egret");
  v.Set("type", "egret");
  v.Set("agentSocket", call.agent_socket);
  return doc::ToJson(v);
}

StatusOr<std::vector<model::IpAddress>> ParseCniAddresses(std::string_view result_json) {
  auto v = doc::ParseJson(result_json);
  if (!v.ok()) return v.status().WithContext("CNI result");
  const doc::Value* ips = v->Find("ips");
  if (!ips || !ips->is_list() || ips->as_list().empty()) {
    return InvalidError("CNI result: ips: Required value: the plugin reported no address");
  }
  std::vector<model::IpAddress> out;
  for (size_t i = 0; i < ips->as_list().size(); ++i) {
    const doc::Value* addr = ips->as_list()[i].Find("address");
    std::string text = addr && addr->is_string() ? addr->as_string() : "";
    auto cidr_ip = model::IpAddress::Parse(text.substr(0, text.find('/')));
    if (!cidr_ip || text.find('/') == std::string::npos) {
      return InvalidError("CNI result: ips[" + std::to_string(i) + "].address: " + Quote(text) +
                          " is not an address with a prefix length (10.244.1.5/24)");
    }
    out.push_back(*cidr_ip);
  }
  return out;
}

std::string CniFailureText(std::string_view out, std::string_view err, int exit_code) {
  std::string text = "exit code " + std::to_string(exit_code);
  if (auto v = doc::ParseJson(out); v.ok() && v->is_map()) {
    const doc::Value* code = v->Find("code");
    const doc::Value* msg = v->Find("msg");
    const doc::Value* details = v->Find("details");
    if (msg && msg->is_string()) {
      text = msg->as_string();
      if (details && details->is_string() && !details->as_string().empty()) {
        text += " (" + details->as_string() + ")";
      }
      if (code && code->is_int()) text += " [CNI error " + std::to_string(code->as_int()) + "]";
    }
  }
  std::string_view trimmed = Trim(err);
  if (!trimmed.empty()) text += "; stderr: " + std::string(trimmed.substr(0, 2000));
  return text;
}

StatusOr<std::vector<model::IpAddress>> CniAdd(const CniCall& call) {
  ASSIGN_OR_RETURN(RunResult r, RunPlugin(call, "ADD"));
  if (r.exit_code != 0) {
    return UnavailableError("CNI ADD for " + call.what +
                            " failed: " + CniFailureText(r.out, r.err, r.exit_code));
  }
  auto ips = ParseCniAddresses(r.out);
  if (!ips.ok()) return ips.status().WithContext("CNI ADD for " + call.what);
  return ips;
}

Status CniDel(const CniCall& call) {
  ASSIGN_OR_RETURN(RunResult r, RunPlugin(call, "DEL"));
  if (r.exit_code != 0) {
    return UnavailableError("CNI DEL for " + call.what +
                            " failed: " + CniFailureText(r.out, r.err, r.exit_code));
  }
  return Status::Ok();
}

}  // namespace egret::lab
