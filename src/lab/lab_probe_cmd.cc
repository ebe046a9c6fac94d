// `egret lab probe`, `egret lab probe-matrix` and `egret lab exec`. They read state.json
// without the lab's lock: they change nothing, and may run while other commands do.
#include <cstdio>

#include "adapters/netns/netns.h"
#include "common/strings.h"
#include "doc/json.h"
#include "lab/lab_commands.h"
#include "lab/probe.h"
#include "lab/process.h"
#include "lab/state_file.h"

namespace egret::lab {
namespace {

constexpr int kDefaultTimeoutMs = 1000;
constexpr int kMatrixParallelism = 32;

// Where an endpoint lives and which addresses it has.
struct Resolved {
  std::string text;   // as the user wrote it; the key in matrix output
  std::string netns;  // "" for a bare address
  std::vector<model::IpAddress> addresses;
};

StatusOr<Resolved> Resolve(const LabState& s, const Endpoint& e) {
  Resolved r{e.ToString(), "", {}};
  auto missing = [&](std::string_view what) {
    return NotFoundError(std::string(what) + " " + Quote(e.ToString()) + " not found in lab " +
                         Quote(s.name));
  };
  switch (e.kind) {
    case Endpoint::Kind::kPod: {
      const PodRecord* p = s.FindPod(e.pod);
      if (!p) return missing("pod");
      r.netns = p->netns;
      r.addresses = p->addresses;
      return r;
    }
    case Endpoint::Kind::kAddress:
      r.addresses = {e.address};
      return r;
    case Endpoint::Kind::kNode:
    case Endpoint::Kind::kExternal:
    case Endpoint::Kind::kName:
      break;
  }
  const NodeRecord* node = e.kind != Endpoint::Kind::kExternal ? s.FindNode(e.name) : nullptr;
  const ExternalRecord* ext = e.kind != Endpoint::Kind::kNode ? s.FindExternal(e.name) : nullptr;
  if (node) {
    r.netns = node->netns;
    r.addresses = node->addresses;
  } else if (ext) {
    r.netns = ext->netns;
    r.addresses = ext->addresses;
  } else {
    return missing(e.kind == Endpoint::Kind::kNode       ? "node"
                   : e.kind == Endpoint::Kind::kExternal ? "external host"
                                                         : "node or external host");
  }
  return r;
}

StatusOr<Resolved> ResolveText(const LabState& s, std::string_view text, std::string_view what,
                               bool allow_address) {
  ASSIGN_OR_RETURN(Endpoint e, ParseEndpoint(text, what, allow_address));
  ASSIGN_OR_RETURN(Resolved r, Resolve(s, e));
  r.text = std::string(text);
  return r;
}

struct ProbeFlags {
  model::Protocol protocol = model::Protocol::kTCP;
  ProbeApp app = ProbeApp::kSourceLine;
  int port = 0;
  std::chrono::milliseconds timeout{kDefaultTimeoutMs};
  std::chrono::milliseconds hold{0};
  std::optional<model::Family> family;
  bool json = false;

  ProbeRequest Request(const model::IpAddress& address) const {
    return {.protocol = protocol,
            .address = address,
            .port = port,
            .timeout = timeout,
            .app = app,
            .hold = hold};
  }
};

StatusOr<ProbeFlags> ParseProbeFlags(const Invocation& inv) {
  ProbeFlags f;
  std::string proto = ToLower(inv.flags.Get("proto", "tcp"));
  if (proto == "udp") {
    f.protocol = model::Protocol::kUDP;
  } else if (proto == "ws") {
    f.app = ProbeApp::kWebSocket;
  } else if (proto != "tcp") {
    return InvalidError("--proto " + Quote(inv.flags.Get("proto")) + ": use tcp, udp or ws");
  }
  if (!inv.flags.Has("port")) return InvalidError("--port P is required");
  ASSIGN_OR_RETURN(f.port, ParseIntFlag(inv.flags.Get("port"), "--port", 1, 65535));
  if (inv.flags.Has("timeout-ms")) {
    ASSIGN_OR_RETURN(int ms, ParseIntFlag(inv.flags.Get("timeout-ms"), "--timeout-ms", 1, 600000));
    f.timeout = std::chrono::milliseconds(ms);
  }
  if (inv.flags.Has("hold-ms")) {
    if (f.app != ProbeApp::kWebSocket) {
      return InvalidError("--hold-ms is only for --proto ws (a held WebSocket connection)");
    }
    ASSIGN_OR_RETURN(int ms, ParseIntFlag(inv.flags.Get("hold-ms"), "--hold-ms", 0, 3600000));
    f.hold = std::chrono::milliseconds(ms);
  }
  if (inv.flags.Has("family")) {
    std::string fam = inv.flags.Get("family");
    if (fam != "4" && fam != "6") return InvalidError("--family " + Quote(fam) + ": use 4 or 6");
    f.family = fam == "4" ? model::Family::kV4 : model::Family::kV6;
  }
  std::string output = inv.flags.Get("output");
  if (!output.empty() && output != "json") {
    return InvalidError("unknown output format " + Quote(output) + ": use json (or nothing)");
  }
  f.json = output == "json";
  return f;
}

// The destination address: the first of the requested family, else the first.
StatusOr<model::IpAddress> PickAddress(const Resolved& to, const ProbeFlags& f) {
  for (const model::IpAddress& ip : to.addresses) {
    if (!f.family || ip.family() == *f.family) return ip;
  }
  std::string fam = f.family ? std::string(model::FamilyName(*f.family)) + " " : "";
  return FailedPreconditionError(Quote(to.text) + " has no " + fam + "address");
}

StatusOr<netns::NetNs> OpenSource(const Resolved& from) {
  if (from.netns.empty()) return InvalidError(Quote(from.text) + " cannot be a probe source");
  return netns::NetNs::Open(from.netns);
}

doc::Value ResultValue(const ProbeResult& r, ProbeApp app) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("connected", r.connected);
  v.Set("source", r.source);
  if (app == ProbeApp::kWebSocket) {
    v.Set("held_ms", r.held_ms);
    v.Set("echoes", r.echoes);
  }
  if (!r.connected) v.Set("error", r.error);
  return v;
}

void PrintProbeText(const ProbeResult& r, ProbeApp app) {
  std::string held;
  if (app == ProbeApp::kWebSocket && (r.held_ms > 0 || r.echoes > 0)) {
    held = " (held " + std::to_string(r.held_ms) + " ms, " + std::to_string(r.echoes) + " echoes)";
  }
  if (r.connected) {
    std::printf("connected: the server saw %s%s\n", r.source.c_str(), held.c_str());
  } else {
    std::printf("not connected: %s%s\n", r.error.c_str(), held.c_str());
  }
}

StatusOr<std::vector<Resolved>> ResolveList(const LabState& s, const Invocation& inv,
                                            std::string_view flag, bool allow_address) {
  std::vector<Resolved> out;
  if (!inv.flags.Has(flag)) {
    for (const PodRecord& p : s.pods) out.push_back({p.ref.ToString(), p.netns, p.addresses});
    return out;
  }
  std::string what = "--" + std::string(flag);
  ASSIGN_OR_RETURN(std::vector<std::string> items, ParseCommaList(inv.flags.Get(flag), what));
  for (const std::string& item : items) {
    ASSIGN_OR_RETURN(Resolved r, ResolveText(s, item, what, allow_address));
    out.push_back(std::move(r));
  }
  return out;
}

void PrintMatrixText(const std::vector<Resolved>& from, const std::vector<Resolved>& to,
                     const std::vector<ProbeResult>& results) {
  size_t width = 4;
  for (const Resolved& f : from) width = std::max(width, f.text.size());
  std::printf("%-*s", static_cast<int>(width + 2), "FROM\\TO");
  for (size_t j = 0; j < to.size(); ++j) std::printf(" %-4zu", j + 1);
  std::printf("\n");
  for (size_t i = 0; i < from.size(); ++i) {
    std::printf("%-*s", static_cast<int>(width + 2), from[i].text.c_str());
    for (size_t j = 0; j < to.size(); ++j) {
      std::printf(" %-4s", results[i * to.size() + j].connected ? "ok" : "--");
    }
    std::printf("\n");
  }
  for (size_t j = 0; j < to.size(); ++j) std::printf("%zu = %s\n", j + 1, to[j].text.c_str());
}

}  // namespace

Status ProbeOne(const Invocation& inv) {
  if (inv.operands.size() != 2) {
    return InvalidError(
        "usage: egret lab probe FROM TO --proto tcp|udp|ws --port P "
        "[--timeout-ms T] [--hold-ms H] [--family 4|6] [-o json]");
  }
  ASSIGN_OR_RETURN(ProbeFlags f, ParseProbeFlags(inv));
  ASSIGN_OR_RETURN(LabState s, LoadState(LabPaths::For(inv.lab), inv.lab));
  ASSIGN_OR_RETURN(Resolved from, ResolveText(s, inv.operands[0], "FROM", false));
  ASSIGN_OR_RETURN(Resolved to, ResolveText(s, inv.operands[1], "TO", true));
  ASSIGN_OR_RETURN(model::IpAddress address, PickAddress(to, f));
  ASSIGN_OR_RETURN(netns::NetNs ns, OpenSource(from));
  ProbeResult r = RunProbes({{ns.fd(), f.Request(address)}}, 1).front();
  if (f.json) {
    std::printf("%s\n", doc::ToJson(ResultValue(r, f.app)).c_str());
  } else {
    PrintProbeText(r, f.app);
  }
  return Status::Ok();
}

Status ProbeMatrix(const Invocation& inv) {
  if (!inv.operands.empty()) {
    return InvalidError(
        "usage: egret lab probe-matrix --proto tcp|udp --port P "
        "[--from A,B,..] [--to C,D,..] [-o json]");
  }
  ASSIGN_OR_RETURN(ProbeFlags f, ParseProbeFlags(inv));
  if (f.app == ProbeApp::kWebSocket) {
    return InvalidError(
        "probe-matrix runs tcp or udp probes: probe WebSocket with egret lab probe");
  }
  ASSIGN_OR_RETURN(LabState s, LoadState(LabPaths::For(inv.lab), inv.lab));
  ASSIGN_OR_RETURN(std::vector<Resolved> from, ResolveList(s, inv, "from", false));
  ASSIGN_OR_RETURN(std::vector<Resolved> to, ResolveList(s, inv, "to", true));
  std::vector<netns::NetNs> sources;
  for (const Resolved& r : from) {
    ASSIGN_OR_RETURN(netns::NetNs ns, OpenSource(r));
    sources.push_back(std::move(ns));
  }
  std::vector<ProbeTask> tasks;
  for (size_t i = 0; i < from.size(); ++i) {
    for (const Resolved& t : to) {
      ASSIGN_OR_RETURN(model::IpAddress address, PickAddress(t, f));
      tasks.push_back({sources[i].fd(), f.Request(address)});
    }
  }
  std::vector<ProbeResult> results = RunProbes(tasks, kMatrixParallelism);
  if (!f.json) {
    PrintMatrixText(from, to, results);
    return Status::Ok();
  }
  doc::Value matrix = doc::Value::EmptyMap();
  for (size_t i = 0; i < from.size(); ++i) {
    doc::Value row = doc::Value::EmptyMap();
    for (size_t j = 0; j < to.size(); ++j)
      row.Set(to[j].text, results[i * to.size() + j].connected);
    matrix.Set(from[i].text, std::move(row));
  }
  std::printf("%s\n", doc::ToJson(matrix, {.pretty = true}).c_str());
  return Status::Ok();
}

Status Exec(const Invocation& inv, int* exit_code) {
  if (inv.operands.size() != 1 || inv.after.empty()) {
    return InvalidError("usage: egret lab exec NS/POD|NODE|EXT -- CMD [ARGS...]");
  }
  ASSIGN_OR_RETURN(LabState s, LoadState(LabPaths::For(inv.lab), inv.lab));
  ASSIGN_OR_RETURN(Resolved target, ResolveText(s, inv.operands[0], "TARGET", false));
  ASSIGN_OR_RETURN(*exit_code, ExecInNetns(netns::PathFor(target.netns), inv.after));
  return Status::Ok();
}

}  // namespace egret::lab
