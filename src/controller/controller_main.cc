#include "controller/controller_main.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "adapters/store_sqlite/sqlite_store.h"
#include "api/transport.h"
#include "common/flags.h"
#include "common/log.h"
#include "common/strings.h"
#include "controller/api_server.h"
#include "controller/api_service.h"
#include "controller/egress_status.h"
#include "controller/node_ipam.h"
#include "controller/policy_controller.h"
#include "controller/node_lifecycle.h"

namespace egret::controller {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"store", "", true, false, "datastore: sqlite:PATH (default sqlite:/var/lib/egret/egret.db)"},
      {"listen", "", true, true,
       "API address, repeatable: unix:PATH (default unix:/run/egret/egret.sock) or tcp:HOST:PORT"},
      {"token-file", "", true, false, "file holding the token TCP clients must present"},
      {"ip-family", "", true, false, "enabled address families: ipv4 (default), ipv6 or dual"},
      {"cluster-cidr", "", true, false,
       "pod CIDRs, one per family (default 10.244.0.0/16 and/or fd00:10:244::/56)"},
      {"service-cidr", "", true, false,
       "service CIDRs, one per family (default 10.96.0.0/16 and/or fd00:10:96::/112)"},
      {"node-cidr-mask-ipv4", "", true, false, "prefix length of each node's IPv4 pod CIDR (24)"},
      {"node-cidr-mask-ipv6", "", true, false, "prefix length of each node's IPv6 pod CIDR (64)"},
      {"internal-cidr", "", true, true,
       "repeatable: more destinations that are internal (never egress-steered or masqueraded)"},
      {"node-monitor-grace-seconds", "", true, false,
       "a Node whose agent posted no status for this long is no longer Ready (default 40)"},
      {"log-level", "", true, false, "debug, info (default), warn or error"},
      {"help", "h", false, false, "show this help"},
  };
  return kSpecs;
}

StatusOr<core::admission::ClusterConfig> ParseFamilies(const std::string& s) {
  core::admission::ClusterConfig cfg;
  if (s == "ipv4") {
    cfg.ipv4_enabled = true;
    cfg.ipv6_enabled = false;
  } else if (s == "ipv6") {
    cfg.ipv4_enabled = false;
    cfg.ipv6_enabled = true;
  } else if (s == "dual") {
    cfg.ipv4_enabled = cfg.ipv6_enabled = true;
  } else {
    return InvalidError("--ip-family " + Quote(s) + ": use ipv4, ipv6 or dual");
  }
  return cfg;
}

StatusOr<std::string> ReadToken(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  if (!in) return InvalidError("--token-file " + Quote(path) + ": cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token(Trim(ss.str()));
  if (token.size() < 16) return InvalidError("--token-file " + Quote(path) + ": token shorter than 16 characters");
  return token;
}

// Parses "a,b" CIDRs for `flag`; each family at most once and only when enabled.
StatusOr<std::vector<model::Cidr>> ParseCidrs(std::string_view flag, const std::string& text,
                                              const core::admission::ClusterConfig& cfg) {
  std::vector<model::Cidr> out;
  for (std::string_view part : Split(text, ',')) {
    std::string err;
    auto c = model::Cidr::Parse(Trim(part), &err);
    if (!c) return InvalidError(std::string(flag) + ": " + err);
    bool enabled = c->family() == model::Family::kV4 ? cfg.ipv4_enabled : cfg.ipv6_enabled;
    if (!enabled) {
      return InvalidError(std::string(flag) + ": " + c->ToString() + " is " +
                          std::string(model::FamilyName(c->family())) +
                          ", which --ip-family does not enable");
    }
    for (const model::Cidr& o : out) {
      if (o.family() == c->family()) {
        return InvalidError(std::string(flag) + ": at most one CIDR per address family");
      }
    }
    out.push_back(*c);
  }
  return out;
}

std::string DefaultCidrs(const core::admission::ClusterConfig& cfg, const char* v4,
                         const char* v6) {
  std::string out;
  if (cfg.ipv4_enabled) out = v4;
  if (cfg.ipv6_enabled) out += std::string(out.empty() ? "" : ",") + v6;
  return out;
}

StatusOr<ClusterInfo> ParseClusterInfo(const ParsedFlags& flags,
                                       const core::admission::ClusterConfig& cfg) {
  ClusterInfo info;
  ASSIGN_OR_RETURN(info.cluster_cidrs,
                   ParseCidrs("--cluster-cidr",
                              flags.Get("cluster-cidr", DefaultCidrs(cfg, "10.244.0.0/16",
                                                                     "fd00:10:244::/56")),
                              cfg));
  ASSIGN_OR_RETURN(info.service_cidrs,
                   ParseCidrs("--service-cidr",
                              flags.Get("service-cidr", DefaultCidrs(cfg, "10.96.0.0/16",
                                                                     "fd00:10:96::/112")),
                              cfg));
  for (const std::string& extra : flags.GetAll("internal-cidr")) {
    std::string err;
    auto c = model::Cidr::Parse(extra, &err);
    if (!c) return InvalidError("--internal-cidr: " + err);
    info.extra_internal.push_back(*c);
  }
  return info;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

}  // namespace

int RunController(const std::vector<std::string>& args) {
  auto flags = ParseFlags(Specs(), args);
  if (!flags.ok()) return Fail(flags.status());
  if (flags->Bool("help")) {
    std::printf("Usage: egret controller [flags]\n\n%s", FlagHelp(Specs()).c_str());
    return 0;
  }
  if (flags->Has("log-level")) {
    log::Level level;
    if (!log::ParseLevel(flags->Get("log-level"), &level)) {
      return Fail(InvalidError("--log-level: use debug, info, warn or error"));
    }
    log::SetLevel(level);
  }
  auto cfg = ParseFamilies(flags->Get("ip-family", "ipv4"));
  if (!cfg.ok()) return Fail(cfg.status());
  auto info = ParseClusterInfo(*flags, *cfg);
  if (!info.ok()) return Fail(info.status());
  core::ipam::PodCidrConfig cidr_cfg{.cluster_cidrs = info->cluster_cidrs};
  if (flags->Has("node-cidr-mask-ipv4")) {
    auto m = ParseInt(flags->Get("node-cidr-mask-ipv4"));
    if (!m) return Fail(InvalidError("--node-cidr-mask-ipv4: not a number"));
    cidr_cfg.node_mask_v4 = static_cast<int>(*m);
  }
  if (flags->Has("node-cidr-mask-ipv6")) {
    auto m = ParseInt(flags->Get("node-cidr-mask-ipv6"));
    if (!m) return Fail(InvalidError("--node-cidr-mask-ipv6: not a number"));
    cidr_cfg.node_mask_v6 = static_cast<int>(*m);
  }
  auto allocator = core::ipam::PodCidrAllocator::Create(cidr_cfg);
  if (!allocator.ok()) return Fail(allocator.status());
  auto token = ReadToken(flags->Get("token-file"));
  if (!token.ok()) return Fail(token.status());
  int64_t grace = ParseInt(flags->Get("node-monitor-grace-seconds", "40")).value_or(-1);
  if (grace < 1 || grace > 86400) {
    return Fail(InvalidError("--node-monitor-grace-seconds: use a number 1-86400"));
  }

  std::string store_arg = flags->Get("store", "sqlite:/var/lib/egret/egret.db");
  if (!store_arg.starts_with("sqlite:")) {
    return Fail(InvalidError("--store " + Quote(store_arg) + ": use sqlite:PATH"));
  }
  auto store = adapters::SqliteStore::Open(store_arg.substr(7));
  if (!store.ok()) return Fail(store.status());

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ApiService service(store->get(), *cfg, *info);
  if (Status st = service.EnsureBuiltins(); !st.ok()) return Fail(st);
  EgressStateHub egress_hub;
  PolicyStateHub policy_hub;
  ApiServer server(&service, {.token = *token, .egress = &egress_hub, .policy = &policy_hub});
  std::vector<std::string> listens = flags->GetAll("listen");
  if (listens.empty()) listens.push_back("unix:/run/egret/egret.sock");
  for (const std::string& l : listens) {
    auto addr = api::Address::Parse(l);
    if (!addr.ok()) return Fail(addr.status());
    auto listener = api::Listener::Listen(*addr);
    if (!listener.ok()) return Fail(listener.status());
    if (Status st = server.Serve(std::move(*listener)); !st.ok()) return Fail(st);
    EGRET_LOG(kInfo, "controller") << "serving the Egret API on " << addr->ToString();
  }
  NodeIpam node_ipam(store->get(), std::move(*allocator));
  node_ipam.Start();
  NodeLifecycle node_lifecycle(store->get(), std::chrono::seconds(grace));
  node_lifecycle.Start();
  EgressStatusController egress_status(store->get(), *info, &egress_hub);
  egress_status.Start();
  PolicyController policy(store->get(), &policy_hub);
  policy.Start();
  EGRET_LOG(kInfo, "controller") << "ready: store " << store_arg << ", resourceVersion "
                                 << (*store)->CurrentVersion();
  int sig = 0;
  sigwait(&stop_signals, &sig);
  EGRET_LOG(kInfo, "controller") << "stopping on signal " << sig;
  server.Stop();
  node_ipam.Stop();
  node_lifecycle.Stop();
  egress_status.Stop();
  policy_hub.Close();
  policy.Stop();
  for (const std::string& l : listens) {
    auto addr = api::Address::Parse(l);
    if (addr.ok() && addr->type == api::Address::Type::kUnix) ::unlink(addr->path.c_str());
  }
  return 0;
}

}  // namespace egret::controller
