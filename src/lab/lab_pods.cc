// `egret lab ns add|label` and `egret lab pod add|del|label`: the lab as kubelet and container
// runtime. A pod is a Pod object, a network namespace attached by the real CNI plugin on its
// node, a status with its addresses, and a probe server on its --serve ports.
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "adapters/netns/netns.h"
#include "common/strings.h"
#include "lab/cni_exec.h"
#include "lab/lab_api.h"
#include "lab/lab_commands.h"
#include "lab/lab_session.h"

namespace egret::lab {
namespace {

Status NeedOperands(const Invocation& inv, size_t n, std::string_view usage) {
  if (inv.operands.size() != n) return InvalidError("usage: egret lab " + std::string(usage));
  return Status::Ok();
}

StatusOr<Labels> LabelsFlag(const Invocation& inv) {
  if (!inv.flags.Has("labels")) return Labels{};
  return ParseLabels(inv.flags.Get("labels"), "--labels");
}

// A fresh CNI_CONTAINERID: unique per pod incarnation, so a re-added pod is a new attachment.
std::string NewContainerId(const std::string& lab, const PodRef& ref) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  std::string seed = lab + "/" + ref.ToString() + "/" + std::to_string(now.tv_sec) + "." +
                     std::to_string(now.tv_nsec) + "/" + std::to_string(::getpid());
  return HashHex(seed) + HashHex(seed + "#");
}

std::string ServerLogName(const PodRef& ref) {
  std::string name = "pod-" + ref.ns + "." + ref.name;
  return name.size() <= 200 ? name : "pod-" + HashHex(ref.ToString());
}

CniCall MakeCniCall(const LabSession& s, const PodRecord& pod, const NodeRecord& node) {
  return {s.self().substr(0, s.self().rfind('/')) + "/egret-cni",
          netns::PathFor(node.netns),
          netns::PathFor(pod.netns),
          pod.container_id,
          s.paths().AgentSocket(node.name),
          pod.ref,
          "pod " + pod.ref.ToString() + " on node " + node.name};
}

std::optional<model::IpAddress> HostIp(const NodeRecord& node) {
  if (node.addresses.empty()) return std::nullopt;
  return node.addresses.front();
}

StatusOr<NodeRecord*> UsableNode(LabSession& s, const std::string& name) {
  NodeRecord* node = s.state().FindNode(name);
  if (!node)
    return NotFoundError("node " + Quote(name) + " not found in lab " + Quote(s.state().name));
  if (!node->up) {
    return FailedPreconditionError("node " + Quote(name) + " is stopped (`egret lab node start " +
                                   name + "`)");
  }
  if (!s.state().agents) {
    return FailedPreconditionError("lab " + Quote(s.state().name) +
                                   " runs without agents (--no-agents): pods have no network");
  }
  return node;
}

// Everything of pod add after the Pod object exists; `pod` is the state's record.
Status AttachPod(LabSession& s, api::Client& client, PodRecord& pod, const NodeRecord& node) {
  RETURN_IF_ERROR(s.CreateNamespace(pod.netns));
  ASSIGN_OR_RETURN(pod.addresses, CniAdd(MakeCniCall(s, pod, node)));
  RETURN_IF_ERROR(s.Save());
  auto status = client.PutStatus("Pod", pod.ref.ns, pod.ref.name,
                                 PodStatusDocument(pod.addresses, HostIp(node)));
  if (!status.ok()) return status.status();
  if (!pod.serve.empty()) {
    ASSIGN_OR_RETURN(pod.server, s.StartProbeServer(pod.netns, ServerLogName(pod.ref), pod.serve));
  }
  return s.Save();
}

// Removes what exists of a pod: server, attachment, namespace, object, record. Continues past
// failures and reports them all.
Status RemovePod(LabSession& s, api::Client* client, const PodRef& ref, bool run_cni_del) {
  std::vector<std::string> errors;
  auto note = [&](const Status& st) {
    if (!st.ok()) errors.push_back(st.message());
  };
  if (PodRecord* pod = s.state().FindPod(ref)) {
    note(TerminateAll({pod->server}, std::chrono::milliseconds(2000)));
    const NodeRecord* node = s.state().FindNode(pod->node);
    if (run_cni_del && node && node->up && s.state().agents) {
      note(CniDel(MakeCniCall(s, *pod, *node)));
    } else if (run_cni_del && node && !node->up) {
      // No agent to ask; its garbage collection owns the leftover attachment.
      std::fprintf(stderr, "warning: node %s is stopped: CNI DEL for pod %s skipped\n",
                   node->name.c_str(), ref.ToString().c_str());
    }
    note(s.DeleteNamespace(pod->netns));
  }
  if (client) {
    auto deleted = client->Delete({{"Pod", ref.ns, ref.name}}, /*ignore_not_found=*/true);
    if (!deleted.ok()) note(deleted.status());
  }
  std::erase_if(s.state().pods, [&](const PodRecord& p) { return p.ref == ref; });
  note(s.Save());
  if (errors.empty()) return Status::Ok();
  return UnavailableError(Join(errors, "\n"));
}

}  // namespace

Status NamespaceAdd(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "ns add NS [--labels k=v,...]"));
  ASSIGN_OR_RETURN(Labels labels, LabelsFlag(inv));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(api::Client client, ConnectLab(s.paths()));
  const std::string& ns = inv.operands[0];
  RETURN_IF_ERROR(CreateObject(client, NamespaceDocument(ns, labels), "Namespace", "", ns));
  std::printf("namespace %s added\n", Quote(ns).c_str());
  return Status::Ok();
}

Status NamespaceLabel(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 2, "ns label NS k=v,..."));
  ASSIGN_OR_RETURN(Labels labels, ParseLabels(inv.operands[1], "labels"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(api::Client client, ConnectLab(s.paths()));
  RETURN_IF_ERROR(ReplaceLabels(client, "Namespace", "", inv.operands[0], labels));
  std::printf("namespace %s labeled\n", Quote(inv.operands[0]).c_str());
  return Status::Ok();
}

Status PodAdd(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(
      inv, 1, "pod add NS/POD --node NODE [--labels k=v,...] [--serve PROTO:PORT[=NAME],...]"));
  ASSIGN_OR_RETURN(PodRef ref, ParsePodRef(inv.operands[0]));
  if (!inv.flags.Has("node")) return InvalidError("pod add: --node NODE is required");
  ASSIGN_OR_RETURN(Labels labels, LabelsFlag(inv));
  std::vector<ServePort> serve;
  if (inv.flags.Has("serve")) {
    ASSIGN_OR_RETURN(serve, ParseServePorts(inv.flags.Get("serve"), "--serve", true));
  }
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(NodeRecord * node, UsableNode(s, inv.flags.Get("node")));
  if (s.state().FindPod(ref)) {
    return AlreadyExistsError("pod " + Quote(ref.ToString()) + " already exists in lab " +
                              Quote(inv.lab));
  }
  ASSIGN_OR_RETURN(api::Client client, ConnectLab(s.paths()));
  RETURN_IF_ERROR(
      CreateObject(client, PodDocument(ref, node->name, labels, serve), "Pod", ref.ns, ref.name));
  s.state().pods.push_back({ref,
                            node->name,
                            s.names().Pod(ref.ns, ref.name),
                            NewContainerId(inv.lab, ref),
                            {},
                            serve,
                            {}});
  PodRecord& pod = s.state().pods.back();
  if (Status attached = AttachPod(s, client, pod, *node); !attached.ok()) {
    Status undone = RemovePod(s, &client, ref, /*run_cni_del=*/true);
    std::string msg = "add pod " + Quote(ref.ToString()) + ": " + attached.message();
    if (!undone.ok()) msg += "\nundoing it failed too: " + undone.message();
    return Status(attached.code(), msg);
  }
  std::vector<std::string> addrs;
  for (const model::IpAddress& ip : pod.addresses) addrs.push_back(ip.ToString());
  std::printf("pod %s added on %s: %s\n", Quote(ref.ToString()).c_str(), node->name.c_str(),
              Join(addrs, ", ").c_str());
  return Status::Ok();
}

Status PodDelete(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "pod del NS/POD"));
  ASSIGN_OR_RETURN(PodRef ref, ParsePodRef(inv.operands[0]));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  if (!s.state().FindPod(ref)) {
    return NotFoundError("pod " + Quote(ref.ToString()) + " not found in lab " + Quote(inv.lab));
  }
  auto client = ConnectLab(s.paths());
  Status removed = RemovePod(s, client.ok() ? &*client : nullptr, ref, /*run_cni_del=*/true);
  if (!client.ok()) return client.status().WithContext("pod removed, but its object remains");
  RETURN_IF_ERROR(removed);
  std::printf("pod %s deleted\n", Quote(ref.ToString()).c_str());
  return Status::Ok();
}

Status PodLabel(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 2, "pod label NS/POD k=v,..."));
  ASSIGN_OR_RETURN(PodRef ref, ParsePodRef(inv.operands[0]));
  ASSIGN_OR_RETURN(Labels labels, ParseLabels(inv.operands[1], "labels"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(api::Client client, ConnectLab(s.paths()));
  RETURN_IF_ERROR(ReplaceLabels(client, "Pod", ref.ns, ref.name, labels));
  std::printf("pod %s labeled\n", Quote(ref.ToString()).c_str());
  return Status::Ok();
}

}  // namespace egret::lab
