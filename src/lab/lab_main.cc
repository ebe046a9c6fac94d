#include "lab/lab_main.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/flags.h"
#include "common/strings.h"
#include "lab/lab_commands.h"
#include "lab/lab_plan.h"
#include "lab/probe.h"

namespace egret::lab {
namespace {

const std::vector<FlagSpec>& AllFlags() {
  static const std::vector<FlagSpec> kSpecs = {
      {"name", "", true, false, "the lab (default $EGRET_LAB, else \"egret\")"},
      {"nodes", "", true, false, "up: number of nodes, 1-64 (default 2)"},
      {"ip-family", "", true, false, "up: ipv4 (default), ipv6 or dual"},
      {"mode", "", true, false, "up: encap (default) or noencap"},
      {"no-agents", "", false, false, "up: build the topology and controller only (debugging)"},
      {"labels", "", true, false, "ns add / pod add: k=v,..."},
      {"node", "", true, false, "pod add: the node to run on"},
      {"serve", "", true, false, "pod add / ext add: PROTO:PORT[=NAME],... to serve"},
      {"proto", "", true, false, "probe: tcp (default), udp or ws (probe-matrix: tcp or udp)"},
      {"port", "", true, false, "probe: destination port"},
      {"timeout-ms", "", true, false, "probe: how long to wait for the answer (default 1000)"},
      {"hold-ms", "", true, false, "probe --proto ws: hold the connection open, echoing (0)"},
      {"family", "", true, false, "probe: 4 or 6, the destination address family"},
      {"from", "", true, false, "probe-matrix: sources (default: every pod)"},
      {"to", "", true, false, "probe-matrix: destinations (default: every pod)"},
      {"output", "o", true, false, "status / probe: json"},
      {"help", "h", false, false, "show help"},
  };
  return kSpecs;
}

struct Command {
  std::vector<std::string> words;
  std::vector<std::string> flags;  // allowed besides --name and --help
  Status (*run)(const Invocation&);
};

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {{"up"}, {"nodes", "ip-family", "mode", "no-agents"}, Up},
      {{"down"}, {}, Down},
      {{"status"}, {"output"}, ShowStatus},
      {{"ns", "add"}, {"labels"}, NamespaceAdd},
      {{"ns", "label"}, {}, NamespaceLabel},
      {{"pod", "add"}, {"node", "labels", "serve"}, PodAdd},
      {{"pod", "del"}, {}, PodDelete},
      {{"pod", "label"}, {}, PodLabel},
      {{"ext", "add"}, {"serve"}, ExternalAdd},
      {{"node", "label"}, {}, NodeLabel},
      {{"node", "stop"}, {}, NodeStop},
      {{"node", "start"}, {}, NodeStart},
      {{"node", "restart-agent"}, {}, NodeRestartAgent},
      {{"node", "status"}, {}, NodeAgentStatus},
      {{"probe"}, {"proto", "port", "timeout-ms", "hold-ms", "family", "output"}, ProbeOne},
      {{"probe-matrix"},
       {"proto", "port", "timeout-ms", "family", "from", "to", "output"},
       ProbeMatrix},
      {{"exec"}, {}, nullptr},
  };
  return kCommands;
}

constexpr const char* kUsage =
    "Usage: egret lab COMMAND [--name LAB] ...\n\n"
    "A cluster on one machine, out of network namespaces (docs/reference/lab.md).\n\n"
    "Commands:\n"
    "  up [--nodes N] [--ip-family ipv4|ipv6|dual] [--mode encap|noencap]\n"
    "  down                                   remove everything of the lab, also after a crash\n"
    "  status [-o json]\n"
    "  ns add NS [--labels k=v,...]           ns label NS k=v,...   (full label set)\n"
    "  pod add NS/POD --node NODE [--labels k=v,...] [--serve PROTO:PORT[=NAME],...]\n"
    "                                         PROTO: tcp, udp or ws (WebSocket)\n"
    "  pod label NS/POD k=v,...               pod del NS/POD\n"
    "  ext add NAME [--serve PROTO:PORT,...]  a host outside the cluster, on the underlay\n"
    "  node label NODE k=v,...                node stop NODE | node start NODE\n"
    "  node restart-agent NODE                the agent only: SIGTERM, start again, wait\n"
    "  node status NODE                       the agent's status (liveness, egress) as JSON\n"
    "  probe FROM TO --proto tcp|udp|ws --port P [--timeout-ms T] [--hold-ms H] [--family 4|6]\n"
    "        [-o json]                        ws: --hold-ms keeps it open, echoing every 100 ms\n"
    "  probe-matrix --proto tcp|udp --port P [--from A,B,..] [--to C,D,..] [-o json]\n"
    "  exec NS/POD|NODE|EXT -- CMD ...\n\n"
    "FROM/TO: NS/POD, ext:NAME, node:NAME or a node name; TO may also be an IP address.\n\n"
    "Flags:\n";

int Fail(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

const Command* Match(const std::vector<std::string>& positional) {
  const Command* best = nullptr;
  for (const Command& c : Commands()) {
    if (positional.size() < c.words.size()) continue;
    if (!std::equal(c.words.begin(), c.words.end(), positional.begin())) continue;
    if (!best || c.words.size() > best->words.size()) best = &c;
  }
  return best;
}

Status CheckFlags(const Command& c, const ParsedFlags& flags) {
  for (const FlagSpec& spec : AllFlags()) {
    if (!flags.Has(spec.name) || spec.name == "name" || spec.name == "help") continue;
    if (std::find(c.flags.begin(), c.flags.end(), spec.name) == c.flags.end()) {
      return InvalidError("lab " + Join(c.words, " ") + " does not take --" + spec.name +
                          " (see egret lab --help)");
    }
  }
  return Status::Ok();
}

std::string DefaultLabName() {
  const char* env = std::getenv("EGRET_LAB");
  return env && *env ? env : std::string(kDefaultLabName);
}

}  // namespace

int RunLab(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "serve") return RunServeCommand({args.begin() + 1, args.end()});
  auto dashes = std::find(args.begin(), args.end(), "--");
  std::vector<std::string> before(args.begin(), dashes);
  std::vector<std::string> after(dashes == args.end() ? dashes : dashes + 1, args.end());
  auto flags = ParseFlags(AllFlags(), before);
  if (!flags.ok()) return Fail(flags.status());
  if (flags->Bool("help") || flags->positional().empty()) {
    std::printf("%s%s", kUsage, FlagHelp(AllFlags()).c_str());
    return flags->Bool("help") ? 0 : 1;
  }
  const Command* cmd = Match(flags->positional());
  if (!cmd) {
    return Fail(InvalidError("unknown lab command " + Quote(Join(flags->positional(), " ")) +
                             " (see egret lab --help)"));
  }
  if (Status st = CheckFlags(*cmd, *flags); !st.ok()) return Fail(st);
  if (dashes != args.end() && cmd->run != nullptr) {
    return Fail(InvalidError("only lab exec takes a command after \"--\""));
  }
  Invocation inv{flags->Get("name", DefaultLabName()),
                 *flags,
                 after,
                 {flags->positional().begin() + cmd->words.size(), flags->positional().end()}};
  if (cmd->run == nullptr) {
    int code = 0;
    Status st = Exec(inv, &code);
    return st.ok() ? code : Fail(st);
  }
  Status st = cmd->run(inv);
  return st.ok() ? 0 : Fail(st);
}

}  // namespace egret::lab
