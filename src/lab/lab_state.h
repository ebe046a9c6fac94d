// LabState: everything a lab is made of, as recorded in /run/egret/lab/<L>/state.json — the
// namespaces it created (written before each is created, so a crash leaves nothing unknown),
// the processes it started (PID plus start time, so a reused PID is never signalled), nodes,
// external hosts and pods. Pure value and codec; file I/O lives in state_file.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "doc/value.h"
#include "lab/lab_args.h"
#include "lab/lab_plan.h"
#include "model/net.h"

namespace egret::lab {

// A process the lab started. start_ticks is field 22 of /proc/<pid>/stat at spawn time: a PID
// is only "ours" while that still matches.
struct ProcessRecord {
  int pid = 0;
  uint64_t start_ticks = 0;
  bool empty() const { return pid <= 0; }
  friend bool operator==(const ProcessRecord&, const ProcessRecord&) = default;
};

struct NodeRecord {
  std::string name;  // "n1"
  int index = 0;     // 1-based; fixes the underlay addresses
  std::string netns;
  std::vector<model::IpAddress> addresses;  // underlay (eth0)
  bool up = true;
  ProcessRecord agent;
  friend bool operator==(const NodeRecord&, const NodeRecord&) = default;
};

struct ExternalRecord {
  std::string name;
  int index = 0;  // 1-based; fixes the addresses and the underlay port name
  std::string netns;
  std::vector<model::IpAddress> addresses;
  std::vector<ServePort> serve;
  ProcessRecord server;
  friend bool operator==(const ExternalRecord&, const ExternalRecord&) = default;
};

struct PodRecord {
  PodRef ref;
  std::string node;
  std::string netns;
  std::string container_id;                 // CNI_CONTAINERID used for ADD; DEL must repeat it
  std::vector<model::IpAddress> addresses;  // from the CNI result, in its order
  std::vector<ServePort> serve;
  ProcessRecord server;
  friend bool operator==(const PodRecord&, const PodRecord&) = default;
};

struct LabState {
  static constexpr int kVersion = 1;
  std::string name;
  IpFamilyMode ip_family = IpFamilyMode::kIpv4;
  NetMode mode = NetMode::kEncap;
  bool agents = true;  // false for `lab up --no-agents` (topology only)
  enum class Phase { kCreating, kReady };
  Phase phase = Phase::kCreating;
  std::vector<std::string> namespaces;  // every network namespace created, in creation order
  ProcessRecord controller;
  std::vector<NodeRecord> nodes;
  std::vector<ExternalRecord> externals;
  std::vector<PodRecord> pods;

  NodeRecord* FindNode(std::string_view node);
  const NodeRecord* FindNode(std::string_view node) const;
  ExternalRecord* FindExternal(std::string_view ext);
  const ExternalRecord* FindExternal(std::string_view ext) const;
  PodRecord* FindPod(const PodRef& ref);
  const PodRecord* FindPod(const PodRef& ref) const;
  // Smallest index in 1..kMaxExternals no external host uses; nullopt when all are taken.
  std::optional<int> FreeExternalIndex() const;
  // Every process the state records, for teardown.
  std::vector<ProcessRecord> Processes() const;
  void RecordNamespace(const std::string& netns);
  void ForgetNamespace(const std::string& netns);

  friend bool operator==(const LabState&, const LabState&) = default;
};

doc::Value EncodeState(const LabState& state);
// Strict: unknown fields, wrong types and bad addresses are errors naming their path.
// `source` names the file in messages.
StatusOr<LabState> DecodeState(const doc::Value& v, std::string_view source);

}  // namespace egret::lab
