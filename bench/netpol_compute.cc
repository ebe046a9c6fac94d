// egret-netpol-bench: the policy controller's computation for a large generated cluster, with
// no kernel and no datastore. Defaults: 100,000 pods, 75,000 NetworkPolicies, 25,000
// namespaces, 100 nodes (netpol_compute_gen.h describes the shapes).
//
// Phases, each timed, as PolicyController::SyncAll runs them:
//   load     the objects' stored JSON text → parsed → decoded and validated (the controller
//            lists each kind from its store and decodes every object), one kind at a time;
//   compile  PolicyCompiler over the whole cluster, CompileNode for every node, Placement();
//   publish  every node's state in its wire form (what PolicyStateHub::Publish encodes).
// The generated objects are kept only as JSON text (as a store holds them), so the peak
// resident memory (getrusage ru_maxrss) is that of the stored form plus the controller's
// working set. Prints a table and the rough ratios to a published reference figure of another
// implementation's controller (about 6 s and 1.6 GB for the same sizes on its authors'
// machine): different machines and scopes, so only the order of magnitude compares.
//
// Usage: egret-netpol-bench [--pods N] [--policies N] [--namespaces N] [--nodes N] [--seed S]
// Reference: docs/reference/bench.md.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bench/netpol_compute_gen.h"
#include "core/netpol/compile.h"
#include "core/netpol/state_codec.h"
#include "doc/json.h"
#include "model/kind_codec.h"

namespace egret::bench {
namespace {

constexpr double kReferenceSeconds = 6.0;
constexpr double kReferenceGB = 1.6;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Peak resident set so far, MB (ru_maxrss is in KiB on Linux).
double PeakMB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Current resident set, MB.
double CurrentMB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// The objects in their stored form: compact JSON text per object, per kind.
struct Store : ClusterSink {
  std::vector<std::string> namespaces, nodes, pods, policies;
  size_t bytes = 0;
  void Keep(std::vector<std::string>* to, const doc::Value& v) {
    to->push_back(doc::ToJson(v));
    bytes += to->back().size();
  }
  void Add(model::Namespace ns) override { Keep(&namespaces, model::EncodeNamespace(ns)); }
  void Add(model::Node node) override { Keep(&nodes, model::EncodeNode(node)); }
  void Add(model::Pod pod) override { Keep(&pods, model::EncodePod(pod)); }
  void Add(model::NetworkPolicy np) override { Keep(&policies, model::EncodeNetworkPolicy(np)); }
};

// Decodes (and drops) one kind's stored text into `out`, as the controller's Load does; exits
// on an object that does not decode (the generator's bug).
template <typename T>
void DecodeKind(std::vector<std::string>* texts, std::string_view kind,
                T (*decode)(const doc::Value&, model::FieldErrors*), std::vector<T>* out) {
  out->reserve(texts->size());
  for (const std::string& text : *texts) {
    auto v = doc::ParseJson(text);
    StatusOr<T> typed = v.ok() ? model::DecodeTyped(*v, kind, decode) : StatusOr<T>(v.status());
    if (!typed.ok()) {
      std::fprintf(stderr, "egret-netpol-bench: generated %s does not decode: %s\n",
                   std::string(kind).c_str(), typed.status().message().c_str());
      std::exit(1);
    }
    out->push_back(std::move(*typed));
  }
  std::vector<std::string>().swap(*texts);
}

core::netpol::PolicyCluster Load(Store* store) {
  core::netpol::PolicyCluster c;
  DecodeKind(&store->namespaces, "Namespace", &model::DecodeNamespace, &c.namespaces);
  DecodeKind(&store->nodes, "Node", &model::DecodeNode, &c.nodes);
  DecodeKind(&store->pods, "Pod", &model::DecodePod, &c.pods);
  DecodeKind(&store->policies, "NetworkPolicy", &model::DecodeNetworkPolicy, &c.network_policies);
  return c;
}

struct Totals {
  size_t programs = 0, rules = 0, address_sets = 0, members = 0, port_sets = 0, placed = 0,
         wire_bytes = 0;
};

void Count(const core::netpol::NodePolicyState& s, Totals* t) {
  t->programs += s.pods.size();
  for (const core::netpol::PodProgram& p : s.pods) {
    for (const core::netpol::DirectionProgram* d : {&p.ingress, &p.egress}) {
      t->rules += d->admin.rules.size() + d->network_policy.rules.size() + d->baseline.rules.size();
    }
  }
  t->address_sets += s.address_sets.size();
  for (const core::netpol::AddressSet& a : s.address_sets) t->members += a.members.size();
  t->port_sets += s.port_sets.size();
}

struct Options {
  GenOptions gen;
};

bool ParseInt(const char* text, long lo, long hi, long* out) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Exits with a usage message on a bad argument.
Options ParseArgs(int argc, char** argv) {
  Options o;
  struct Flag {
    const char* name;
    long lo, hi;
    long* value;
  };
  long pods = o.gen.pods, policies = o.gen.policies, namespaces = o.gen.namespaces,
       nodes = o.gen.nodes, seed = static_cast<long>(o.gen.seed);
  const Flag flags[] = {{"--pods", 0, 10000000, &pods},
                        {"--policies", 0, 10000000, &policies},
                        {"--namespaces", 1, 1000000, &namespaces},
                        {"--nodes", 1, 100000, &nodes},
                        {"--seed", 0, 1L << 62, &seed}};
  for (int i = 1; i < argc; i += 2) {
    const Flag* f = nullptr;
    for (const Flag& c : flags) f = std::strcmp(argv[i], c.name) == 0 ? &c : f;
    if (f == nullptr || i + 1 >= argc || !ParseInt(argv[i + 1], f->lo, f->hi, f->value)) {
      std::fprintf(stderr,
                   "usage: egret-netpol-bench [--pods N] [--policies N] [--namespaces N] "
                   "[--nodes N] [--seed S]\n(bad or missing value at \"%s\")\n",
                   argv[i]);
      std::exit(2);
    }
  }
  o.gen = {static_cast<int>(namespaces), static_cast<int>(pods), static_cast<int>(policies),
           static_cast<int>(nodes), static_cast<uint64_t>(seed)};
  return o;
}

struct Phase {
  const char* name;
  double seconds;
  double rss_mb;   // resident after the phase
  double peak_mb;  // peak so far
};

void PrintPhase(const Phase& p) {
  std::printf("%-9s %9.2f %12.0f %12.0f\n", p.name, p.seconds, p.rss_mb, p.peak_mb);
}

// Compiles every node as PolicyController::SyncAll does; fills `t`.
std::map<std::string, core::netpol::NodePolicyState> CompileAll(
    const core::netpol::PolicyCluster& cluster, Totals* t) {
  core::netpol::PolicyCompiler compiler(cluster);
  std::map<std::string, core::netpol::NodePolicyState> states;
  for (const model::Node& n : cluster.nodes) {
    states[n.metadata.name] = compiler.CompileNode(n.metadata.name);
    Count(states[n.metadata.name], t);
  }
  for (const core::netpol::PolicyNodes& p : compiler.Placement()) t->placed += p.nodes.size();
  return states;
}

void PrintReport(const Options& o, const Totals& t, const Phase& load, const Phase& compile,
                 const Phase& publish) {
  double nodes = o.gen.nodes;
  std::printf(
      "# per node (mean): %.0f pod programs, %.0f rules, %.0f address sets with %.0f "
      "members, %.0f port sets, %.1f MB wire form; %zu policy placements\n",
      double(t.programs) / nodes, double(t.rules) / nodes, double(t.address_sets) / nodes,
      double(t.members) / nodes, double(t.port_sets) / nodes,
      double(t.wire_bytes) / nodes / 1048576.0, t.placed);
  std::printf("%-9s %9s %12s %12s\n", "phase", "seconds", "RSS MB", "peak RSS MB");
  for (const Phase& p : {load, compile, publish}) PrintPhase(p);
  double total = load.seconds + compile.seconds + publish.seconds;
  double peak_gb = PeakMB() / 1024.0;
  std::printf("%-9s %9.2f %12s %12.0f\n", "total", total, "", PeakMB());
  std::printf(
      "# reference (published, another implementation, its authors' machine): about "
      "%.0f s and %.1f GB\n",
      kReferenceSeconds, kReferenceGB);
  std::printf("%-34s %8s %8s\n", "ratio to the reference", "time", "memory");
  std::printf("%-34s %8.2f %8.2f\n", "compile / reference", compile.seconds / kReferenceSeconds,
              peak_gb / kReferenceGB);
  std::printf("%-34s %8.2f %8.2f\n", "load+compile+publish / reference", total / kReferenceSeconds,
              peak_gb / kReferenceGB);
}

int Run(const Options& o) {
  std::printf(
      "# netpol_compute: %d pods, %d NetworkPolicies, %d namespaces, %d nodes (seed %llu)\n",
      o.gen.pods, o.gen.policies, o.gen.namespaces, o.gen.nodes,
      static_cast<unsigned long long>(o.gen.seed));
  auto t0 = Clock::now();
  Store store;
  GenerateCluster(o.gen, &store);
  std::printf("# stored form: %.0f MB of JSON (generation not counted below: %.2f s)\n",
              static_cast<double>(store.bytes) / 1048576.0, SecondsSince(t0));

  t0 = Clock::now();
  core::netpol::PolicyCluster cluster = Load(&store);
  Phase load{"load", SecondsSince(t0), CurrentMB(), PeakMB()};

  t0 = Clock::now();
  Totals t;
  std::map<std::string, core::netpol::NodePolicyState> states = CompileAll(cluster, &t);
  Phase compile{"compile", SecondsSince(t0), CurrentMB(), PeakMB()};

  t0 = Clock::now();
  // As the hub holds them: the JSON text each node's agent is sent.
  std::map<std::string, std::string> wire;
  for (const auto& [node, state] : states) {
    wire[node] = doc::ToJson(core::netpol::EncodeNodePolicyState(state));
    t.wire_bytes += wire[node].size();
  }
  Phase publish{"publish", SecondsSince(t0), CurrentMB(), PeakMB()};
  PrintReport(o, t, load, compile, publish);
  return 0;
}

}  // namespace
}  // namespace egret::bench

int main(int argc, char** argv) { return egret::bench::Run(egret::bench::ParseArgs(argc, argv)); }
