#include "lab/lab_session.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "adapters/netns/netns.h"
#include "api/protocol.h"
#include "common/strings.h"
#include "lab/lab_api.h"

namespace egret::lab {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    return ErrnoError("mkdir " + path, errno);
  return Status::Ok();
}

// Another lab whose name overlaps ours (see LabNamesOverlap), or an earlier lab of this name
// whose namespaces are still there.
Status CheckNoConflict(const std::string& lab) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(kLabRoot), ec)) {
    std::string other = entry.path().filename().string();
    if (other != lab && LabNamesOverlap(other, lab)) {
      return FailedPreconditionError("lab name " + Quote(lab) + " overlaps the running lab " +
                                     Quote(other) +
                                     " (one name is the other plus \"-...\", so their "
                                     "namespace names could collide); choose another name");
    }
  }
  LabNames names(lab);
  for (const std::string& ns : netns::List(names.Prefix())) {
    if (names.Owns(ns)) {
      return FailedPreconditionError("network namespace " + Quote(ns) +
                                     " is left over from an "
                                     "earlier lab " +
                                     Quote(lab) + "; run `egret lab down --name " + lab +
                                     "` first");
    }
  }
  return Status::Ok();
}

// Whether a unix socket accepts connections (the agent's CNI socket).
bool SocketAnswers(const std::string& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (!fd.valid() || path.size() >= sizeof(addr.sun_path)) return false;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
}

}  // namespace

std::string LogTail(const std::string& path, int lines) {
  std::ifstream in(path);
  if (!in) return "";
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  size_t from = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  std::string out;
  for (size_t i = from; i < all.size(); ++i) out += "\n  | " + all[i];
  return out;
}

StatusOr<LabSession> LabSession::Open(const std::string& lab) {
  RETURN_IF_ERROR(ValidateLabName(lab));
  LabPaths paths = LabPaths::For(lab);
  ASSIGN_OR_RETURN(LabLock lock, LabLock::Acquire(paths, lab, kLockTimeoutMs));
  ASSIGN_OR_RETURN(LabState state, LoadState(paths, lab));
  ASSIGN_OR_RETURN(std::string self, SelfExecutable());
  return LabSession(std::move(lock), std::move(state), std::move(self));
}

StatusOr<LabSession> LabSession::Create(LabState initial) {
  RETURN_IF_ERROR(ValidateLabName(initial.name));
  ASSIGN_OR_RETURN(std::string self, SelfExecutable());
  LabPaths paths = LabPaths::For(initial.name);
  std::error_code ec;
  std::filesystem::create_directories(std::string(kLabRoot), ec);
  if (ec) return InternalError("mkdir " + std::string(kLabRoot) + ": " + ec.message());
  RETURN_IF_ERROR(CheckNoConflict(initial.name));
  if (::mkdir(paths.dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) {
      return AlreadyExistsError("lab " + Quote(initial.name) + " already exists (" + paths.dir +
                                "); `egret lab down --name " + initial.name + "` removes it");
    }
    return ErrnoError("mkdir " + paths.dir, errno);
  }
  RETURN_IF_ERROR(MakeDir(paths.Logs()));
  RETURN_IF_ERROR(MakeDir(paths.dir + "/nodes"));
  ASSIGN_OR_RETURN(LabLock lock, LabLock::Acquire(paths, initial.name, kLockTimeoutMs));
  LabSession session(std::move(lock), std::move(initial), std::move(self));
  RETURN_IF_ERROR(session.Save());
  return session;
}

Status LabSession::CreateNamespace(const std::string& netns) {
  state_.RecordNamespace(netns);
  RETURN_IF_ERROR(Save());
  Status st = netns::Create(netns);
  if (st.code() == Code::kAlreadyExists) {
    return AlreadyExistsError("network namespace " + Quote(netns) + " already exists");
  }
  return st;
}

Status LabSession::DeleteNamespace(const std::string& netns) {
  RETURN_IF_ERROR(netns::Delete(netns));
  state_.ForgetNamespace(netns);
  return Save();
}

StatusOr<Spawned> LabSession::StartEgret(const std::string& what, const std::string& netns,
                                         const std::string& log_name, std::vector<std::string> args,
                                         bool ready_pipe) {
  SpawnOptions o;
  o.what = what;
  o.netns_path = netns::PathFor(netns);
  o.argv = {self_};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.log_path = paths_.Log(log_name);
  o.ready_pipe = ready_pipe;
  return SpawnDaemon(o);
}

Status LabSession::StartController() {
  AddressPlan p = plan();
  ASSIGN_OR_RETURN(Spawned s, StartEgret("controller", names_.ControlPlane(), "controller",
                                         {"controller", "--store", "sqlite:" + paths_.Store(),
                                          "--listen", "unix:" + paths_.ApiSocket(), "--ip-family",
                                          std::string(IpFamilyModeName(state_.ip_family)),
                                          "--cluster-cidr", CidrListText(p.ClusterCidrs()),
                                          "--service-cidr", CidrListText(p.ServiceCidrs())},
                                         false));
  state_.controller = s.process;
  RETURN_IF_ERROR(Save());
  ProcessRecord rec = s.process;
  Status ready = WaitForApi(
      paths_, [&] { return IsRunning(rec); }, kControllerReadyTimeout);
  if (!ready.ok())
    return Status(ready.code(), ready.message() + LogTail(paths_.Log("controller"), 15));
  return Status::Ok();
}

Status LabSession::StartAgent(NodeRecord& node) {
  RETURN_IF_ERROR(MakeDir(paths_.NodeDir(node.name)));
  RETURN_IF_ERROR(MakeDir(paths_.AgentState(node.name)));
  // The node's underlay addresses also say which families it serves.
  std::vector<std::string> ips;
  for (const model::IpAddress& ip : node.addresses) ips.push_back(ip.ToString());
  ASSIGN_OR_RETURN(
      Spawned s,
      StartEgret("agent of node " + node.name, node.netns, "agent-" + node.name,
                 {"agent", "--node", node.name, "--server", "unix:" + paths_.ApiSocket(),
                  "--listen", "unix:" + paths_.AgentSocket(node.name), "--state-dir",
                  paths_.AgentState(node.name), "--mode", std::string(NetModeName(state_.mode)),
                  "--node-ip", Join(ips, ","), "--underlay-interface", std::string(kHostInterface)},
                 false));
  node.agent = s.process;
  return Save();
}

Status LabSession::WaitForAgent(const NodeRecord& node) {
  auto deadline = Clock::now() + kAgentReadyTimeout;
  size_t families = plan().Families().size();
  std::string waiting_for = "its CNI socket " + paths_.AgentSocket(node.name);
  std::optional<api::Client> client;
  while (Clock::now() < deadline) {
    if (!IsRunning(node.agent)) {
      return UnavailableError("the agent of node " + node.name + " exited; see " +
                              paths_.Log("agent-" + node.name) +
                              LogTail(paths_.Log("agent-" + node.name), 15));
    }
    if (SocketAnswers(paths_.AgentSocket(node.name))) {
      waiting_for = "Node " + Quote(node.name) + " to get its pod CIDRs";
      if (!client) {
        if (auto c = ConnectLab(paths_); c.ok()) client.emplace(std::move(*c));
      }
      auto info = client ? GetNodeInfo(*client, node.name) : StatusOr<NodeInfo>(NodeInfo{});
      if (!info.ok()) client.reset();
      if (info.ok() && info->pod_cidrs.size() >= families) return Status::Ok();
    }
    // Neither the socket nor the Node announce themselves: look again shortly.
    std::this_thread::sleep_for(milliseconds(50));
  }
  return DeadlineExceededError(
      "node " + node.name + " did not become ready within " +
      std::to_string(kAgentReadyTimeout.count() / 1000) + " s: waiting for " + waiting_for +
      "; see " + paths_.Log("agent-" + node.name) + LogTail(paths_.Log("agent-" + node.name), 15));
}

Status LabSession::WaitForAgentReconciled(const NodeRecord& node, bool any_pass) {
  auto deadline = Clock::now() + kAgentReadyTimeout;
  api::Address addr;
  addr.type = api::Address::Type::kUnix;
  addr.path = paths_.AgentSocket(node.name);
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "status");
  std::string last = "no answer on " + addr.path;
  while (Clock::now() < deadline) {
    if (!IsRunning(node.agent)) break;
    auto client = api::Client::Connect(addr);
    auto reply = client.ok() ? client->Call(req) : StatusOr<doc::Value>(client.status());
    if (reply.ok()) {
      const doc::Value* n = reply->Find(any_pass ? "passes" : "reconciles");
      if (n && n->is_int() && n->as_int() >= 1) return Status::Ok();
      std::string error = api::StringField(*reply, "lastError");
      last = error.empty() ? "no reconcile yet" : "last reconcile failed: " + error;
    } else {
      last = reply.status().message();
    }
    // The agent announces nothing: ask again shortly.
    std::this_thread::sleep_for(milliseconds(50));
  }
  std::string log = paths_.Log("agent-" + node.name);
  std::string what = "exited";
  if (IsRunning(node.agent)) {
    what = "did not reconcile within " + std::to_string(kAgentReadyTimeout.count() / 1000) + " s";
  }
  return DeadlineExceededError("the agent of node " + node.name + " " + what + " (" + last +
                               "); see " + log + LogTail(log, 15));
}

StatusOr<ProcessRecord> LabSession::StartProbeServer(const std::string& netns,
                                                     const std::string& log_name,
                                                     const std::vector<ServePort>& serve) {
  ASSIGN_OR_RETURN(
      Spawned s,
      StartEgret("probe server in " + netns, netns, log_name,
                 {"lab", "serve", "--listen", ServePortsText(serve), "--ready-fd", "3"}, true));
  Status ready =
      WaitForReadyPipe(s.ready.get(), kServerReadyTimeout, "the probe server in " + netns);
  if (!ready.ok()) {
    (void)TerminateAll({s.process}, milliseconds(1000));
    return Status(ready.code(), ready.message() + LogTail(paths_.Log(log_name), 5));
  }
  return s.process;
}

HostAttachment LabSession::NodeAttachment(const NodeRecord& node) const {
  return {node.netns, node.name, plan().NodeAddresses(node.index), /*forwarding=*/true};
}

HostAttachment LabSession::ExternalAttachment(const ExternalRecord& ext) const {
  return {ext.netns, "x" + std::to_string(ext.index), plan().ExternalAddresses(ext.index),
          /*forwarding=*/false};
}

}  // namespace egret::lab
