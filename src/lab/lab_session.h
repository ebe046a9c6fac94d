// A command's hold on one lab: its lock, its state (saved after every step that creates
// something, so a crash leaves a record of it), and the steps every command shares —
// creating namespaces, starting the controller, agents and probe servers and waiting until
// they are ready.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "lab/lab_plan.h"
#include "lab/lab_state.h"
#include "lab/process.h"
#include "lab/state_file.h"
#include "lab/topology.h"

namespace egret::lab {

inline constexpr std::chrono::milliseconds kControllerReadyTimeout{15000};
inline constexpr std::chrono::milliseconds kAgentReadyTimeout{60000};
inline constexpr std::chrono::milliseconds kServerReadyTimeout{5000};
inline constexpr int kLockTimeoutMs = 600000;

class LabSession {
 public:
  // Locks an existing lab and loads its state.
  static StatusOr<LabSession> Open(const std::string& lab);
  // Creates the lab's directory (AlreadyExists when the lab exists), locks it and starts an
  // empty state.
  static StatusOr<LabSession> Create(LabState initial);

  LabState& state() { return state_; }
  const LabState& state() const { return state_; }
  const LabPaths& paths() const { return paths_; }
  const LabNames& names() const { return names_; }
  AddressPlan plan() const { return AddressPlan(state_.ip_family); }
  Status Save() { return SaveState(paths_, state_); }

  // Records the namespace in state.json first, then creates it: a crash in between leaves a
  // record that `down` acts on.
  Status CreateNamespace(const std::string& netns);
  // Deletes it and forgets it (Ok when it is gone already).
  Status DeleteNamespace(const std::string& netns);

  // Starts `egret ARGS...` in `netns`, output to logs/<log_name>.log.
  StatusOr<Spawned> StartEgret(const std::string& what, const std::string& netns,
                               const std::string& log_name, std::vector<std::string> args,
                               bool ready_pipe);
  // Starts the controller in <L>-cp and waits until it answers.
  Status StartController();
  // Starts the agent of `node` (recorded in the state) without waiting.
  Status StartAgent(NodeRecord& node);
  // Waits until the agent's CNI socket answers and its Node has a pod CIDR per family.
  Status WaitForAgent(const NodeRecord& node);
  // Waits until the agent answers `status` on its socket with at least one reconcile done
  // since it started: its datapath matches the cluster again.
  // Until the agent has reconciled once without error; with `any_pass`, until it has run one
  // reconcile pass to the end, errors allowed (a node whose underlay link is still down).
  Status WaitForAgentReconciled(const NodeRecord& node, bool any_pass = false);
  // Starts a probe server for `serve` in `netns` and waits until it listens.
  StatusOr<ProcessRecord> StartProbeServer(const std::string& netns, const std::string& log_name,
                                           const std::vector<ServePort>& serve);

  // The node's / external host's attachment to the underlay.
  HostAttachment NodeAttachment(const NodeRecord& node) const;
  HostAttachment ExternalAttachment(const ExternalRecord& ext) const;

  // The path of the egret binary (and, beside it, egret-cni).
  const std::string& self() const { return self_; }

 private:
  LabSession(LabLock lock, LabState state, std::string self)
      : lock_(std::move(lock)),
        state_(std::move(state)),
        paths_(LabPaths::For(state_.name)),
        names_(state_.name),
        self_(std::move(self)) {}

  LabLock lock_;
  LabState state_;
  LabPaths paths_;
  LabNames names_;
  std::string self_;
};

// The last lines of a log file, indented, for error messages ("" when it cannot be read).
std::string LogTail(const std::string& path, int lines);

}  // namespace egret::lab
