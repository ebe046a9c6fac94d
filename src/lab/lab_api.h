// What the lab writes to and reads from its controller, as a kubelet and an operator would:
// Namespace and Pod objects, pod status, label sets, and the Node objects the agents
// register. Document builders are pure; the rest goes through api::Client.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"
#include "common/status.h"
#include "doc/value.h"
#include "lab/lab_args.h"
#include "lab/lab_plan.h"
#include "model/net.h"

namespace egret::lab {

using Labels = std::map<std::string, std::string>;

// The Namespace object `lab ns add` writes.
doc::Value NamespaceDocument(const std::string& name, const Labels& labels);
// The Pod object `lab pod add` writes: one container "probe" whose ports are the served ones.
doc::Value PodDocument(const PodRef& ref, const std::string& node, const Labels& labels,
                       const std::vector<ServePort>& serve);
// The status `lab pod add` writes once the pod has its addresses.
doc::Value PodStatusDocument(const std::vector<model::IpAddress>& pod_ips,
                             std::optional<model::IpAddress> host_ip);

StatusOr<api::Client> ConnectLab(const LabPaths& paths);

// Creates an object; AlreadyExists when it is there (lab `add` commands do not update).
Status CreateObject(api::Client& client, const doc::Value& object, std::string_view kind,
                    const std::string& ns, const std::string& name);

// Replaces the full label set of an object: read, modify, write conditionally on the version
// read; retried when someone else wrote in between.
Status ReplaceLabels(api::Client& client, const std::string& kind, const std::string& ns,
                     const std::string& name, const Labels& labels);

// Waits until the controller answers `version`, while `alive` says its process runs.
Status WaitForApi(const LabPaths& paths, const std::function<bool()>& alive,
                  std::chrono::milliseconds timeout);

// What the lab reports of a Node object.
struct NodeInfo {
  std::vector<std::string> pod_cidrs;
  Labels labels;
  bool found = false;
};
StatusOr<NodeInfo> GetNodeInfo(api::Client& client, const std::string& node);

}  // namespace egret::lab
