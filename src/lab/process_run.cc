// RunCaptured and ExecInNetns (see process.h): commands that run to completion.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "lab/process.h"
#include "lab/process_util.h"

namespace egret::lab {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Pipes {
  UniqueFd in_r, in_w, out_r, out_w, err_r, err_w, exec_r, exec_w;
};

Status MakePipe(UniqueFd* r, UniqueFd* w) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe", errno);
  r->reset(HighFd(fds[0]));
  w->reset(HighFd(fds[1]));
  return Status::Ok();
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

// Feeds stdin and drains stdout/stderr until both close or the deadline passes.
Status Pump(Pipes& p, const std::string& input, Clock::time_point deadline, RunResult* out) {
  size_t written = 0;
  if (input.empty()) p.in_w.reset();
  while (p.out_r.valid() || p.err_r.valid()) {
    pollfd fds[3];
    int n = 0;
    auto add = [&](UniqueFd& fd, short ev) {
      if (fd.valid()) fds[n++] = {fd.get(), ev, 0};
    };
    add(p.in_w, POLLOUT);
    add(p.out_r, POLLIN);
    add(p.err_r, POLLIN);
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return DeadlineExceededError("timed out");
    int r = ::poll(fds, n, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ErrnoError("poll", errno);
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (p.in_w.valid() && fds[i].fd == p.in_w.get()) {
        ssize_t w = ::write(p.in_w.get(), input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) p.in_w.reset();
        continue;
      }
      UniqueFd& src = fds[i].fd == p.out_r.get() ? p.out_r : p.err_r;
      std::string& dst = fds[i].fd == p.out_r.get() ? out->out : out->err;
      char buf[4096];
      ssize_t got = ::read(src.get(), buf, sizeof(buf));
      if (got > 0) {
        dst.append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        src.reset();
      }
    }
  }
  return Status::Ok();
}

[[noreturn]] void ChildFail(int fd) {
  int err = errno;
  (void)!::write(fd, &err, sizeof(err));
  ::_exit(127);
}

}  // namespace

StatusOr<RunResult> RunCaptured(const RunOptions& o) {
  UniqueFd netns;
  if (!o.netns_path.empty()) {
    netns.reset(::open(o.netns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns.valid()) return ErrnoError("open network namespace " + o.netns_path, errno);
  }
  Pipes p;
  RETURN_IF_ERROR(MakePipe(&p.in_r, &p.in_w));
  RETURN_IF_ERROR(MakePipe(&p.out_r, &p.out_w));
  RETURN_IF_ERROR(MakePipe(&p.err_r, &p.err_w));
  RETURN_IF_ERROR(MakePipe(&p.exec_r, &p.exec_w));
  CStrings argv(o.argv), env(o.env);
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoError("fork", errno);
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    if (netns.valid() && ::setns(netns.get(), CLONE_NEWNET) != 0) ChildFail(p.exec_w.get());
    if (::dup2(p.in_r.get(), 0) < 0 || ::dup2(p.out_w.get(), 1) < 0 ||
        ::dup2(p.err_w.get(), 2) < 0) {
      ChildFail(p.exec_w.get());
    }
    ::execve(argv.data()[0], argv.data(), env.data());
    ChildFail(p.exec_w.get());
  }
  p.in_r.reset();
  p.out_w.reset();
  p.err_w.reset();
  p.exec_w.reset();
  int child_errno = 0;
  if (::read(p.exec_r.get(), &child_errno, sizeof(child_errno)) == sizeof(child_errno)) {
    ::waitpid(pid, nullptr, 0);
    return ErrnoError("run " + o.argv[0], child_errno);
  }
  RunResult result;
  Status pumped = Pump(p, o.stdin_data, Clock::now() + o.timeout, &result);
  if (!pumped.ok()) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!pumped.ok()) {
    return DeadlineExceededError(o.argv[0] + " did not finish within " +
                                 std::to_string(o.timeout.count()) + " ms");
  }
  result.exit_code = ExitCode(status);
  return result;
}

StatusOr<int> ExecInNetns(const std::string& netns_path, const std::vector<std::string>& argv) {
  UniqueFd netns(::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!netns.valid()) return ErrnoError("open network namespace " + netns_path, errno);
  UniqueFd exec_r, exec_w;
  RETURN_IF_ERROR(MakePipe(&exec_r, &exec_w));
  CStrings args(argv);
  // Like a shell: the terminal's Ctrl-C goes to the command, not to us.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    if (::setns(netns.get(), CLONE_NEWNET) != 0) ChildFail(exec_w.get());
    // Best effort, as `ip netns exec` does: a private /sys that lists the target's links.
    if (::unshare(CLONE_NEWNS) == 0 &&
        ::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) == 0 &&
        ::umount2("/sys", MNT_DETACH) == 0) {
      ::mount("sysfs", "/sys", "sysfs", 0, nullptr);
    }
    ::execvp(args.data()[0], args.data());
    ChildFail(exec_w.get());
  }
  exec_w.reset();
  Status result = Status::Ok();
  int child_errno = 0;
  if (pid < 0) {
    result = ErrnoError("fork", errno);
  } else if (::read(exec_r.get(), &child_errno, sizeof(child_errno)) == sizeof(child_errno)) {
    result = ErrnoError("exec " + argv[0] + " in " + netns_path, child_errno);
  }
  int status = 0;
  if (pid > 0) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  if (!result.ok()) return result;
  return ExitCode(status);
}

}  // namespace egret::lab
