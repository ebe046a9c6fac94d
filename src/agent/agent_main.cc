// `egret agent`: flags → AgentConfig, then run until SIGINT/SIGTERM.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "agent/agent.h"
#include "agent/node_addresses.h"
#include "common/flags.h"
#include "common/log.h"
#include "common/strings.h"

namespace egret::agent {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"node", "", true, false, "this node's name (required)"},
      {"server", "", true, false, "controller API (default unix:/run/egret/egret.sock)"},
      {"token-file", "", true, false, "token for a TCP controller address"},
      {"listen", "", true, true, "local API for CNI (default unix:/run/egret/agent.sock)"},
      {"state-dir", "", true, false, "persistent state (default /var/lib/egret/agent)"},
      {"mode", "", true, false, "encap (VXLAN, default) or noencap (routes on one L2)"},
      {"node-ip", "", true, false,
       "this node's underlay addresses, comma-separated (default: the underlay interface's)"},
      {"underlay-interface", "", true, false,
       "underlay device (default: the default route's; node label "
       "egret.io/underlay-interface overrides it per node)"},
      {"mtu", "", true, false, "underlay MTU (default 1500)"},
      {"vni", "", true, false, "VXLAN network id (default 1)"},
      {"resync-seconds", "", true, false, "periodic full reconcile (default 30)"},
      {"heartbeat-port", "", true, false, "UDP port of the failover heartbeats (default 7947)"},
      {"heartbeat-interval-ms", "", true, false,
       "failover heartbeat interval (default 100; a node is dead after 3 missed beats)"},
      {"hold-down-ms", "", true, false,
       "how long a returning node must beat before it carries EIPs again (default 2000)"},
      {"log-level", "", true, false, "debug, info (default), warn or error"},
      {"help", "h", false, false, "show this help"},
  };
  return kSpecs;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

StatusOr<int64_t> IntFlag(const ParsedFlags& f, const char* name, int64_t def, int64_t lo,
                          int64_t hi) {
  if (!f.Has(name)) return def;
  auto v = ParseInt(f.Get(name));
  if (!v || *v < lo || *v > hi) {
    return InvalidError(std::string("--") + name + ": use a number " + std::to_string(lo) + "-" +
                        std::to_string(hi));
  }
  return *v;
}

StatusOr<AgentConfig> ParseConfig(const ParsedFlags& f) {
  AgentConfig c;
  c.node_name = f.Get("node");
  if (c.node_name.empty()) return InvalidError("--node is required");
  ASSIGN_OR_RETURN(c.server, api::Address::Parse(f.Get("server", "unix:/run/egret/egret.sock")));
  if (f.Has("token-file")) {
    std::ifstream in(f.Get("token-file"));
    if (!in) return InvalidError("--token-file: cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    c.token = std::string(Trim(ss.str()));
  }
  std::vector<std::string> listens = f.GetAll("listen");
  if (listens.empty()) listens.push_back("unix:/run/egret/agent.sock");
  for (const std::string& l : listens) {
    ASSIGN_OR_RETURN(api::Address a, api::Address::Parse(l));
    c.listen.push_back(a);
  }
  c.state_dir = f.Get("state-dir", "/var/lib/egret/agent");
  std::string mode = f.Get("mode", "encap");
  if (mode != "encap" && mode != "noencap") return InvalidError("--mode: use encap or noencap");
  c.net.mode = mode == "encap" ? core::netplan::Mode::kEncap : core::netplan::Mode::kNoEncap;
  c.net.underlay_device = f.Get("underlay-interface");
  if (c.net.underlay_device.empty()) {
    ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open());
    ASSIGN_OR_RETURN(auto v4, rtnl.ListRoutes(model::Family::kV4, {.table = 254}));
    ASSIGN_OR_RETURN(auto v6, rtnl.ListRoutes(model::Family::kV6, {.table = 254}));
    c.net.underlay_device = DefaultRouteDevice(v4, v6);
    if (c.net.underlay_device.empty()) {
      return InvalidError("--underlay-interface not given and there is no default route to "
                          "take it from");
    }
  }
  ASSIGN_OR_RETURN(int64_t mtu, IntFlag(f, "mtu", 1500, 1280, 65535));
  c.net.underlay_mtu = static_cast<int>(mtu);
  ASSIGN_OR_RETURN(int64_t vni, IntFlag(f, "vni", 1, 1, 16777215));
  c.net.vni = static_cast<uint32_t>(vni);
  ASSIGN_OR_RETURN(int64_t resync, IntFlag(f, "resync-seconds", 30, 1, 86400));
  c.resync = std::chrono::seconds(resync);
  ASSIGN_OR_RETURN(int64_t hb_port, IntFlag(f, "heartbeat-port", 7947, 1, 65535));
  c.heartbeat_port = static_cast<uint16_t>(hb_port);
  ASSIGN_OR_RETURN(c.liveness.interval_ms, IntFlag(f, "heartbeat-interval-ms", 100, 10, 10000));
  ASSIGN_OR_RETURN(c.liveness.hold_down_ms, IntFlag(f, "hold-down-ms", 2000, 0, 600000));
  std::string node_ips = f.Get("node-ip");  // Split returns views into it
  for (std::string_view ip : Split(node_ips, ',')) {
    if (Trim(ip).empty()) continue;
    auto a = model::IpAddress::Parse(Trim(ip));
    if (!a) return InvalidError("--node-ip: " + Quote(ip) + " is not an IP address");
    c.node_ips.push_back(*a);
  }
  if (c.node_ips.empty()) {
    ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open());
    ASSIGN_OR_RETURN(auto addrs, rtnl.ListAddresses(c.net.underlay_device));
    c.node_ips = PickNodeAddresses(addrs);
    if (c.node_ips.empty()) {
      return InvalidError("--node-ip not given and " + c.net.underlay_device +
                          " has no global address (set --node-ip or --underlay-interface)");
    }
  }
  return c;
}

// Pods need forwarding on their node; namespaces do not inherit these (KERNEL-NOTES.md).
void EnableForwarding() {
  for (const char* path : {"/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"}) {
    std::ofstream out(path);
    out << "1";
    if (!out) EGRET_LOG(kWarn, "agent") << "cannot enable forwarding: " << path;
  }
}

}  // namespace

int RunAgent(const std::vector<std::string>& args) {
  auto flags = ParseFlags(Specs(), args);
  if (!flags.ok()) return Fail(flags.status());
  if (flags->Bool("help")) {
    std::printf("Usage: egret agent [flags]\n\n%s", FlagHelp(Specs()).c_str());
    return 0;
  }
  if (flags->Has("log-level")) {
    log::Level level;
    if (!log::ParseLevel(flags->Get("log-level"), &level)) return Fail(InvalidError("--log-level"));
    log::SetLevel(level);
  }
  auto config = ParseConfig(*flags);
  if (!config.ok()) return Fail(config.status());
  std::error_code ec;
  std::filesystem::create_directories(config->state_dir, ec);
  if (ec) return Fail(InvalidError("--state-dir " + config->state_dir + ": " + ec.message()));

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  EnableForwarding();
  auto agent = Agent::Create(std::move(*config));
  if (!agent.ok()) return Fail(agent.status());
  if (Status st = (*agent)->Start(); !st.ok()) return Fail(st);
  std::thread loop([&] { (*agent)->RunReconcileLoop(); });
  EGRET_LOG(kInfo, "agent") << "started";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  EGRET_LOG(kInfo, "agent") << "stopping on signal " << sig << " (the datapath stays as it is)";
  (*agent)->Stop();
  loop.join();
  return 0;
}

}  // namespace egret::agent
