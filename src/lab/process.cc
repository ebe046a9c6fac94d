#include "lab/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "common/strings.h"
#include "lab/process_util.h"

namespace egret::lab {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Stages a child reports through the exec-error pipe.
enum ChildStage : int { kStageSetns = 1, kStageStdio = 2, kStageExec = 3 };

std::string StageName(int stage) {
  switch (stage) {
    case kStageSetns:
      return "setns";
    case kStageStdio:
      return "redirect stdio";
    default:
      return "exec";
  }
}

// Only async-signal-safe calls from here on: the parent may have other threads.
[[noreturn]] void ChildFail(int err_fd, int stage) {
  int report[2] = {stage, errno};
  (void)!::write(err_fd, report, sizeof(report));
  ::_exit(127);
}

void ChildResetSignals() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP}) ::signal(sig, SIG_DFL);
}

void ChildEnterNetns(int netns_fd, int err_fd) {
  if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) != 0) ChildFail(err_fd, kStageSetns);
}

// Reads the child's exec report: Ok when the pipe closed empty (exec succeeded).
Status ReadExecReport(int err_fd, std::string_view what, std::string_view program) {
  int report[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(err_fd, report, sizeof(report));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return Status::Ok();
  return ErrnoError(
      "start " + std::string(what) + " (" + std::string(program) + "): " + StageName(report[0]),
      report[1]);
}

StatusOr<UniqueFd> OpenNetns(const std::string& path) {
  if (path.empty()) return UniqueFd();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open network namespace " + path, errno);
  return UniqueFd(fd);
}

StatusOr<std::pair<UniqueFd, UniqueFd>> Pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe", errno);
  return std::pair{UniqueFd(HighFd(fds[0])), UniqueFd(HighFd(fds[1]))};
}

}  // namespace

StatusOr<ProcessRecord> IdentifyProcess(int pid) {
  auto ticks = ReadStartTicks(pid);
  if (!ticks) return NotFoundError("process " + std::to_string(pid) + " does not exist");
  return ProcessRecord{pid, *ticks};
}

bool IsRunning(const ProcessRecord& p) {
  if (p.empty()) return false;
  // Reap it if it is our own child that exited (a zombie holds its PID until reaped).
  int status = 0;
  ::waitpid(p.pid, &status, WNOHANG);
  auto ticks = ReadStartTicks(p.pid);
  return ticks && *ticks == p.start_ticks && !IsZombie(p.pid);
}

StatusOr<std::string> SelfExecutable() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n < 0) return ErrnoError("readlink /proc/self/exe", errno);
  return std::string(buf, static_cast<size_t>(n));
}

StatusOr<Spawned> SpawnDaemon(const SpawnOptions& o) {
  ASSIGN_OR_RETURN(UniqueFd netns, OpenNetns(o.netns_path));
  int log = ::open(o.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return ErrnoError("open log " + o.log_path, errno);
  UniqueFd log_fd(HighFd(log));
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0) return ErrnoError("open /dev/null", errno);
  UniqueFd null_fd(HighFd(null));
  ASSIGN_OR_RETURN(auto err_pipe, Pipe());
  std::pair<UniqueFd, UniqueFd> ready_pipe;
  if (o.ready_pipe) {
    ASSIGN_OR_RETURN(ready_pipe, Pipe());
  }
  CStrings argv(o.argv);
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoError("fork for " + o.what, errno);
  if (pid == 0) {
    int err = err_pipe.second.get();
    ChildResetSignals();
    ChildEnterNetns(netns.get(), err);
    ::setsid();
    if (::dup2(null_fd.get(), 0) < 0 || ::dup2(log_fd.get(), 1) < 0 ||
        ::dup2(log_fd.get(), 2) < 0 || (o.ready_pipe && ::dup2(ready_pipe.second.get(), 3) < 0)) {
      ChildFail(err, kStageStdio);
    }
    ::execv(argv.data()[0], argv.data());
    ChildFail(err, kStageExec);
  }
  err_pipe.second.reset();
  ready_pipe.second.reset();
  if (Status st = ReadExecReport(err_pipe.first.get(), o.what, o.argv[0]); !st.ok()) {
    ::waitpid(pid, nullptr, 0);
    return st;
  }
  auto record = IdentifyProcess(pid);
  if (!record.ok()) return UnavailableError(o.what + " exited right after it started");
  return Spawned{*record, std::move(ready_pipe.first)};
}

Status WaitForReadyPipe(int fd, milliseconds timeout, std::string_view what) {
  pollfd p{fd, POLLIN, 0};
  auto deadline = Clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return DeadlineExceededError(std::string(what) + " did not become ready within " +
                                   std::to_string(timeout.count()) + " ms");
    }
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("poll", errno);
    if (n == 0) continue;
    char byte;
    ssize_t r = ::read(fd, &byte, 1);
    if (r == 1) return Status::Ok();
    if (r < 0 && errno == EINTR) continue;
    return UnavailableError(std::string(what) + " exited before it became ready");
  }
}

Status WaitForExit(const ProcessRecord& process, milliseconds timeout) {
  int raw = static_cast<int>(::syscall(SYS_pidfd_open, process.pid, 0));
  if (raw < 0) {
    if (errno == ESRCH) return Status::Ok();
    return ErrnoError("pidfd_open " + std::to_string(process.pid), errno);
  }
  UniqueFd pidfd(raw);
  // Checked after the pidfd exists: from here on the PID cannot be reused under us.
  if (!IsRunning(process)) return Status::Ok();
  auto deadline = Clock::now() + timeout;
  // The pidfd turns readable when the process exits, whether or not it has been reaped.
  int ready = 0;
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    pollfd p{pidfd.get(), POLLIN, 0};
    ready = left <= 0 ? 0 : ::poll(&p, 1, static_cast<int>(left));
    if (ready >= 0 || errno != EINTR) break;
  }
  if (ready > 0) return Status::Ok();
  if (ready < 0) return ErrnoError("poll pidfd", errno);
  return DeadlineExceededError("process " + std::to_string(process.pid) + " still runs after " +
                               std::to_string(timeout.count()) + " ms");
}

Status TerminateAll(const std::vector<ProcessRecord>& processes, milliseconds grace) {
  auto running = [&] {
    std::vector<ProcessRecord> out;
    for (const ProcessRecord& p : processes) {
      if (IsRunning(p)) out.push_back(p);
    }
    return out;
  };
  auto wait_gone = [&](milliseconds limit) {
    auto deadline = Clock::now() + limit;
    std::vector<ProcessRecord> left = running();
    while (!left.empty() && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(10));  // polling /proc: no exit notification
      left = running();
    }
    return left;
  };
  for (const ProcessRecord& p : running()) ::kill(p.pid, SIGTERM);
  std::vector<ProcessRecord> left = wait_gone(grace);
  for (const ProcessRecord& p : left) ::kill(p.pid, SIGKILL);
  left = wait_gone(grace);
  if (left.empty()) return Status::Ok();
  std::vector<std::string> pids;
  for (const ProcessRecord& p : left) pids.push_back(std::to_string(p.pid));
  return DeadlineExceededError("processes " + Join(pids, ", ") + " survived SIGKILL");
}

std::vector<ProcessRecord> ProcessesInNetns(const std::set<uint64_t>& netns_inodes) {
  std::vector<ProcessRecord> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  const int self = ::getpid();
  while (dirent* e = ::readdir(dir)) {
    auto pid = ParseInt(e->d_name);
    if (!pid || *pid <= 0 || *pid == self) continue;
    auto inode = NetnsInodeOfProcess(static_cast<int>(*pid));
    if (!inode || !netns_inodes.contains(*inode)) continue;
    if (auto rec = IdentifyProcess(static_cast<int>(*pid)); rec.ok()) out.push_back(*rec);
  }
  ::closedir(dir);
  return out;
}

}  // namespace egret::lab
