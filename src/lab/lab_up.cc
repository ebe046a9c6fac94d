// `egret lab up`: underlay, control plane, nodes and their agents, in that order.
#include <cstdio>

#include "common/strings.h"
#include "lab/lab_commands.h"
#include "lab/lab_session.h"
#include "lab/lab_status.h"

namespace egret::lab {
namespace {

constexpr int kDefaultNodes = 2;

StatusOr<LabState> InitialState(const Invocation& inv) {
  LabState s;
  s.name = inv.lab;
  std::string family = inv.flags.Get("ip-family", "ipv4");
  auto f = ParseIpFamilyMode(family);
  if (!f) return InvalidError("--ip-family " + Quote(family) + ": use ipv4, ipv6 or dual");
  s.ip_family = *f;
  std::string mode = inv.flags.Get("mode", "encap");
  auto m = ParseNetMode(mode);
  if (!m) return InvalidError("--mode " + Quote(mode) + ": use encap or noencap");
  s.mode = *m;
  s.agents = !inv.flags.Bool("no-agents");
  return s;
}

Status AddNode(LabSession& s, int index) {
  NodeRecord node;
  node.name = NodeName(index);
  node.index = index;
  node.netns = s.names().Node(node.name);
  for (const model::InterfaceAddress& a : s.plan().NodeAddresses(index)) {
    node.addresses.push_back(a.ip);
  }
  s.state().nodes.push_back(node);
  RETURN_IF_ERROR(s.CreateNamespace(node.netns));
  return AttachHost(s.names().Underlay(), s.plan(), s.NodeAttachment(node));
}

Status Build(LabSession& s, int nodes) {
  RETURN_IF_ERROR(s.CreateNamespace(s.names().Underlay()));
  RETURN_IF_ERROR(BuildUnderlay(s.names().Underlay(), s.plan()));
  RETURN_IF_ERROR(s.CreateNamespace(s.names().ControlPlane()));
  RETURN_IF_ERROR(s.StartController());
  for (int i = 1; i <= nodes; ++i) RETURN_IF_ERROR(AddNode(s, i));
  if (s.state().agents) {
    // Start every agent first and wait afterwards: they come up in parallel.
    for (NodeRecord& node : s.state().nodes) RETURN_IF_ERROR(s.StartAgent(node));
    for (const NodeRecord& node : s.state().nodes) RETURN_IF_ERROR(s.WaitForAgent(node));
  }
  s.state().phase = LabState::Phase::kReady;
  return s.Save();
}

}  // namespace

Status Up(const Invocation& inv) {
  if (!inv.operands.empty()) return InvalidError("lab up takes no arguments: use --name");
  int nodes = kDefaultNodes;
  if (inv.flags.Has("nodes")) {
    ASSIGN_OR_RETURN(nodes, ParseIntFlag(inv.flags.Get("nodes"), "--nodes", 1, kMaxNodes));
  }
  ASSIGN_OR_RETURN(LabState initial, InitialState(inv));
  ASSIGN_OR_RETURN(LabSession session, LabSession::Create(std::move(initial)));
  Status built = Build(session, nodes);
  if (!built.ok()) {
    return Status(built.code(), "lab " + Quote(inv.lab) + " did not come up: " + built.message() +
                                    "\nwhat was created is left for inspection (logs in " +
                                    session.paths().Logs() + "); `egret lab down --name " +
                                    inv.lab + "` removes it");
  }
  std::printf("lab %s is up: %d node(s), %s, %s%s\n", Quote(inv.lab).c_str(), nodes,
              std::string(IpFamilyModeName(session.state().ip_family)).c_str(),
              std::string(NetModeName(session.state().mode)).c_str(),
              session.state().agents ? "" : " (no agents: topology only)");
  std::printf("API: egret --lab %s get nodes   (unix:%s)\n", inv.lab.c_str(),
              session.paths().ApiSocket().c_str());
  return PrintLabStatus(session.state(), /*json=*/false);
}

}  // namespace egret::lab
