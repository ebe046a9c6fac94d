// `egret lab ext add` and `egret lab node label|stop|start|restart-agent`.
#include <signal.h>

#include <cstdio>

#include "api/client.h"
#include "common/strings.h"
#include "doc/json.h"
#include "lab/lab_api.h"
#include "lab/lab_commands.h"
#include "lab/lab_session.h"
#include "model/meta.h"

namespace egret::lab {
namespace {

Status NeedOperands(const Invocation& inv, size_t n, std::string_view usage) {
  if (inv.operands.size() != n) return InvalidError("usage: egret lab " + std::string(usage));
  return Status::Ok();
}

Status CheckExternalName(const std::string& name) {
  if (!model::IsDnsLabel(name)) {
    return InvalidError("external host name " + Quote(name) +
                        " is not valid: use lower-case letters, digits and '-' (at most 63)");
  }
  if (NodeIndex(name)) {
    return InvalidError("external host name " + Quote(name) +
                        " is not valid: names n1, n2, ... are the nodes'");
  }
  return Status::Ok();
}

// Builds the external host whose record is the last in the state.
Status BuildExternal(LabSession& s, ExternalRecord& ext) {
  RETURN_IF_ERROR(s.CreateNamespace(ext.netns));
  RETURN_IF_ERROR(AttachHost(s.names().Underlay(), s.plan(), s.ExternalAttachment(ext)));
  if (!ext.serve.empty()) {
    ASSIGN_OR_RETURN(ext.server, s.StartProbeServer(ext.netns, "ext-" + ext.name, ext.serve));
  }
  return s.Save();
}

StatusOr<NodeRecord*> FindNode(LabSession& s, const std::string& name) {
  NodeRecord* node = s.state().FindNode(name);
  if (!node) {
    return NotFoundError("node " + Quote(name) + " not found in lab " + Quote(s.state().name) +
                         " (nodes are n1 to n" + std::to_string(s.state().nodes.size()) + ")");
  }
  return node;
}

// How long a SIGTERMed agent gets to exit before restart-agent kills it.
constexpr std::chrono::milliseconds kAgentStopGrace{10000};

// Stops the agent as an operator would for an upgrade: SIGTERM and wait. Returns whether it
// had to be SIGKILLed instead.
StatusOr<bool> StopAgentGracefully(const NodeRecord& node) {
  if (!IsRunning(node.agent)) return false;
  ::kill(node.agent.pid, SIGTERM);
  if (WaitForExit(node.agent, kAgentStopGrace).ok()) return false;
  if (IsRunning(node.agent)) ::kill(node.agent.pid, SIGKILL);
  RETURN_IF_ERROR(WaitForExit(node.agent, std::chrono::milliseconds(2000)));
  return true;
}

}  // namespace

Status ExternalAdd(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "ext add NAME [--serve PROTO:PORT,...]"));
  const std::string& name = inv.operands[0];
  RETURN_IF_ERROR(CheckExternalName(name));
  std::vector<ServePort> serve;
  if (inv.flags.Has("serve")) {
    ASSIGN_OR_RETURN(serve, ParseServePorts(inv.flags.Get("serve"), "--serve", false));
  }
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  if (s.state().FindExternal(name)) {
    return AlreadyExistsError("external host " + Quote(name) + " already exists in lab " +
                              Quote(inv.lab));
  }
  std::optional<int> index = s.state().FreeExternalIndex();
  if (!index)
    return FailedPreconditionError("lab " + Quote(inv.lab) + " has " +
                                   std::to_string(kMaxExternals) +
                                   " external hosts, the most it can hold");
  ExternalRecord ext{name, *index, s.names().External(name), {}, serve, {}};
  for (const model::InterfaceAddress& a : s.plan().ExternalAddresses(*index)) {
    ext.addresses.push_back(a.ip);
  }
  s.state().externals.push_back(ext);
  Status built = BuildExternal(s, s.state().externals.back());
  if (!built.ok()) {
    // Undo, so that a retry starts clean.
    (void)TerminateAll({s.state().externals.back().server}, std::chrono::milliseconds(1000));
    (void)s.DeleteNamespace(ext.netns);
    std::erase_if(s.state().externals, [&](const ExternalRecord& e) { return e.name == name; });
    (void)s.Save();
    return built.WithContext("add external host " + Quote(name));
  }
  std::vector<std::string> addrs;
  for (const model::IpAddress& ip : ext.addresses) addrs.push_back(ip.ToString());
  std::printf("external host %s added: %s\n", Quote(name).c_str(), Join(addrs, ", ").c_str());
  return Status::Ok();
}

Status NodeLabel(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 2, "node label NODE k=v,..."));
  ASSIGN_OR_RETURN(Labels labels, ParseLabels(inv.operands[1], "labels"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  RETURN_IF_ERROR(FindNode(s, inv.operands[0]).status());
  ASSIGN_OR_RETURN(api::Client client, ConnectLab(s.paths()));
  RETURN_IF_ERROR(ReplaceLabels(client, "Node", "", inv.operands[0], labels));
  std::printf("node %s labeled\n", Quote(inv.operands[0]).c_str());
  return Status::Ok();
}

Status NodeStop(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "node stop NODE"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(NodeRecord * node, FindNode(s, inv.operands[0]));
  // The agent dies as in a crash: SIGKILL, no chance to clean up.
  if (IsRunning(node->agent)) ::kill(node->agent.pid, SIGKILL);
  RETURN_IF_ERROR(TerminateAll({node->agent}, std::chrono::milliseconds(2000)));
  RETURN_IF_ERROR(
      SetHostLink(s.names().Underlay(), s.plan(), s.NodeAttachment(*node), /*up=*/false));
  node->up = false;
  RETURN_IF_ERROR(s.Save());
  std::printf("node %s stopped: agent killed, eth0 down\n", Quote(node->name).c_str());
  return Status::Ok();
}

Status NodeStart(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "node start NODE"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(NodeRecord * node, FindNode(s, inv.operands[0]));
  node->up = true;
  RETURN_IF_ERROR(s.Save());
  // The agent first, the link last: a node that comes back (as after a reboot) must not answer
  // for EIPs it held before it died. Its agent releases them on its first reconcile, while the
  // node is still cut off.
  if (s.state().agents && !IsRunning(node->agent)) {
    RETURN_IF_ERROR(s.StartAgent(*node));
    RETURN_IF_ERROR(s.WaitForAgent(*node));
    RETURN_IF_ERROR(s.WaitForAgentReconciled(*node, /*any_pass=*/true));
  }
  RETURN_IF_ERROR(
      SetHostLink(s.names().Underlay(), s.plan(), s.NodeAttachment(*node), /*up=*/true));
  std::printf("node %s started\n", Quote(node->name).c_str());
  return Status::Ok();
}

Status NodeAgentStatus(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "node status NODE"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(NodeRecord * node, FindNode(s, inv.operands[0]));
  if (!node->up || !IsRunning(node->agent)) {
    return FailedPreconditionError("the agent of node " + Quote(node->name) + " is not running");
  }
  api::Address addr;
  addr.type = api::Address::Type::kUnix;
  addr.path = s.paths().AgentSocket(node->name);
  ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(addr));
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "status");
  ASSIGN_OR_RETURN(doc::Value reply, client.Call(req));
  std::printf("%s\n", doc::ToJson(reply, {.pretty = true}).c_str());
  return Status::Ok();
}

Status NodeRestartAgent(const Invocation& inv) {
  RETURN_IF_ERROR(NeedOperands(inv, 1, "node restart-agent NODE"));
  ASSIGN_OR_RETURN(LabSession s, LabSession::Open(inv.lab));
  ASSIGN_OR_RETURN(NodeRecord * node, FindNode(s, inv.operands[0]));
  if (!s.state().agents) {
    return FailedPreconditionError("lab " + Quote(inv.lab) +
                                   " runs no agents (it was built with `up --no-agents`)");
  }
  if (!node->up) {
    return FailedPreconditionError("node " + Quote(node->name) +
                                   " is stopped; `egret lab node start " + node->name +
                                   "` starts it with its agent");
  }
  const int old_pid = node->agent.pid;
  const bool was_running = IsRunning(node->agent);
  ASSIGN_OR_RETURN(bool killed, StopAgentGracefully(*node));
  if (killed) {
    std::fprintf(stderr, "warning: the agent of node %s ignored SIGTERM for %lld s; killed\n",
                 node->name.c_str(), static_cast<long long>(kAgentStopGrace.count() / 1000));
  }
  RETURN_IF_ERROR(s.StartAgent(*node));
  RETURN_IF_ERROR(s.WaitForAgent(*node));
  RETURN_IF_ERROR(s.WaitForAgentReconciled(*node));
  if (was_running) {
    std::printf("agent of node %s restarted: pid %d -> %d\n", Quote(node->name).c_str(), old_pid,
                node->agent.pid);
  } else {
    std::printf("agent of node %s was not running; started: pid %d\n", Quote(node->name).c_str(),
                node->agent.pid);
  }
  return Status::Ok();
}

}  // namespace egret::lab
