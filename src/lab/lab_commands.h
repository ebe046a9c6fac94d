// The `egret lab` subcommands. Each takes its parsed command line and returns Ok or the error
// to print; output goes to stdout. Internal to src/lab (the entry point is lab_main.h).
#pragma once

#include <string>
#include <vector>

#include "common/flags.h"
#include "common/status.h"

namespace egret::lab {

struct Invocation {
  std::string lab;                 // --name, default "egret"
  ParsedFlags flags;               // positional()[0..] are the words after `lab`
  std::vector<std::string> after;  // words after a bare "--" (exec's command)
  // positional() without the subcommand words ("pod add"): the operands.
  std::vector<std::string> operands;
};

Status Up(const Invocation& inv);
Status Down(const Invocation& inv);
Status ShowStatus(const Invocation& inv);

Status NamespaceAdd(const Invocation& inv);
Status NamespaceLabel(const Invocation& inv);
Status PodAdd(const Invocation& inv);
Status PodDelete(const Invocation& inv);
Status PodLabel(const Invocation& inv);

Status ExternalAdd(const Invocation& inv);
Status NodeLabel(const Invocation& inv);
Status NodeStop(const Invocation& inv);
Status NodeStart(const Invocation& inv);
// SIGTERM to the node's agent, wait for it to exit, start it again with the same arguments,
// wait until it answers and has reconciled. The datapath is left alone throughout.
Status NodeRestartAgent(const Invocation& inv);
// The agent's status (its local `status` op) as JSON: reconciles, peers' liveness, egress
// targets with their active node, held EIPs.
Status NodeAgentStatus(const Invocation& inv);

Status ProbeOne(const Invocation& inv);
Status ProbeMatrix(const Invocation& inv);
// Sets *exit_code to the command's exit code.
Status Exec(const Invocation& inv, int* exit_code);

}  // namespace egret::lab
