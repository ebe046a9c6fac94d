// `egret lab down`: stops every process of the lab, deletes every namespace, removes the
// directory. Works from state.json when it is there and from what the system shows when it is
// not (a crash before the first save, a deleted or damaged file): namespaces by name, and
// processes by the namespace they run in.
#include <cstdio>
#include <filesystem>
#include <set>

#include "adapters/netns/netns.h"
#include "common/strings.h"
#include "lab/lab_commands.h"
#include "lab/process.h"
#include "lab/process_util.h"
#include "lab/state_file.h"

namespace egret::lab {
namespace {

constexpr std::chrono::milliseconds kStopGrace{5000};
constexpr int kDownLockTimeoutMs = 120000;

// Whether a longer-named lab that still has its directory owns `netns` ("a-x-ul" is lab
// "a-x"'s underlay, not lab "a"'s external host "ul").
bool ClaimedByLongerLab(const std::string& lab, const std::string& netns) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(kLabRoot), ec)) {
    std::string other = entry.path().filename().string();
    if (other.size() > lab.size() && LabNames(other).Owns(netns)) return true;
  }
  return false;
}

std::vector<std::string> LabNamespaces(const std::string& lab, const LabState* state) {
  LabNames names(lab);
  std::set<std::string> seen;
  std::vector<std::string> out;
  auto add = [&](const std::string& ns) {
    if (!ns.empty() && seen.insert(ns).second) out.push_back(ns);
  };
  if (state) {
    for (const std::string& ns : state->namespaces) add(ns);
    for (const PodRecord& p : state->pods) add(p.netns);
  }
  for (const std::string& ns : netns::List(names.Prefix())) {
    if (names.Owns(ns) && !ClaimedByLongerLab(lab, ns)) add(ns);
  }
  return out;
}

std::vector<ProcessRecord> LabProcesses(const std::vector<std::string>& namespaces,
                                        const LabState* state) {
  std::set<uint64_t> inodes;
  for (const std::string& ns : namespaces) {
    if (auto inode = NetnsInodeOfPath(netns::PathFor(ns))) inodes.insert(*inode);
  }
  std::vector<ProcessRecord> candidates = ProcessesInNetns(inodes);
  if (state) {
    for (const ProcessRecord& p : state->Processes()) candidates.push_back(p);
  }
  std::set<int> pids;
  std::vector<ProcessRecord> out;
  for (const ProcessRecord& p : candidates) {
    if (IsRunning(p) && pids.insert(p.pid).second) out.push_back(p);
  }
  return out;
}

}  // namespace

Status Down(const Invocation& inv) {
  if (!inv.operands.empty()) return InvalidError("lab down takes no arguments: use --name");
  RETURN_IF_ERROR(ValidateLabName(inv.lab));
  LabPaths paths = LabPaths::For(inv.lab);
  // Hold the lock if the lab still has one, so a command in progress finishes first.
  std::optional<LabLock> lock;
  if (auto l = LabLock::Acquire(paths, inv.lab, kDownLockTimeoutMs); l.ok()) {
    lock.emplace(std::move(*l));
  } else if (l.status().code() != Code::kNotFound) {
    return l.status();
  }
  std::optional<LabState> state;
  if (auto s = LoadState(paths, inv.lab); s.ok()) {
    state = std::move(*s);
  } else if (s.status().code() != Code::kNotFound) {
    std::fprintf(stderr, "warning: %s\nfalling back to the namespaces named after the lab\n",
                 s.status().message().c_str());
  }
  const LabState* st = state ? &*state : nullptr;
  std::vector<std::string> namespaces = LabNamespaces(inv.lab, st);
  std::vector<ProcessRecord> processes = LabProcesses(namespaces, st);
  Status stopped = TerminateAll(processes, kStopGrace);
  std::string errors = stopped.ok() ? "" : stopped.message();
  for (const std::string& ns : namespaces) {
    if (Status d = netns::Delete(ns); !d.ok()) errors += (errors.empty() ? "" : "\n") + d.message();
  }
  std::error_code ec;
  bool had_dir = std::filesystem::exists(paths.dir, ec);
  std::filesystem::remove_all(paths.dir, ec);
  if (ec) errors += (errors.empty() ? "" : "\n") + ("remove " + paths.dir + ": " + ec.message());
  if (!errors.empty()) {
    return InternalError("lab " + Quote(inv.lab) + " was not removed completely:\n" + errors);
  }
  if (!had_dir && namespaces.empty()) {
    std::printf("lab %s: nothing to remove\n", Quote(inv.lab).c_str());
  } else {
    std::printf("lab %s removed (%zu namespace(s), %zu process(es) stopped)\n",
                Quote(inv.lab).c_str(), namespaces.size(), processes.size());
  }
  return Status::Ok();
}

}  // namespace egret::lab
