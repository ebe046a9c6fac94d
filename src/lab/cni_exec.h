// The lab as a container runtime: it runs the real egret-cni plugin binary inside the node's
// namespace (fork → setns → exec, as a runtime on that host would), with the CNI environment
// and the network configuration on stdin.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "lab/lab_args.h"
#include "model/net.h"

namespace egret::lab {

struct CniCall {
  std::string plugin;        // path of egret-cni
  std::string node_netns;    // path of the node's namespace file: where the plugin runs
  std::string pod_netns;     // CNI_NETNS: /run/netns/<pod namespace>
  std::string container_id;  // CNI_CONTAINERID
  std::string agent_socket;  // the node agent's CNI socket, in the network configuration
  PodRef pod;                // for CNI_ARGS (K8S_POD_NAMESPACE / K8S_POD_NAME)
  std::string what;          // "pod default/web on node n1", for messages
};

// The environment for `command` ("ADD", "DEL"): CNI_* variables plus PATH.
std::vector<std::string> CniEnvironment(const CniCall& call, std::string_view command);
// {"cniVersion":"1.1.0","name":"egret","type":"egret","agentSocket":"..."}
std::string CniNetworkConfig(const CniCall& call);
// The ips[].address of a CNI result, in order, without their prefix lengths.
StatusOr<std::vector<model::IpAddress>> ParseCniAddresses(std::string_view result_json);
// A failed call's message from its stdout (the CNI error document), stderr and exit code.
std::string CniFailureText(std::string_view out, std::string_view err, int exit_code);

// ADD: the pod's addresses. DEL: Ok also when the pod is unknown to the plugin.
StatusOr<std::vector<model::IpAddress>> CniAdd(const CniCall& call);
Status CniDel(const CniCall& call);

}  // namespace egret::lab
