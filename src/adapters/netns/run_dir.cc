// Named namespaces in /run/netns, kept compatible with iproute2: a namespace is a bind mount of
// a namespace file onto an empty file in the directory, and the directory is a shared mount
// point so that mount namespaces created later (containers, `ip netns exec`) see new names.
#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "adapters/netns/netns.h"
#include "adapters/netns/sys_error.h"
#include "common/strings.h"

namespace egret::netns {
namespace {

// Makes kRunDir exist and be a shared mount point. Like iproute2: mark it shared; if that fails
// because it is not a mount point yet (EINVAL), bind-mount it onto itself and try again. An
// exclusive flock on the directory keeps two Egret processes from both stacking a bind mount
// (the lock is on the inode, which the bind mount shares).
Status EnsureSharedRunDir() {
  std::string dir(kRunDir);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return SystemError("create " + dir, errno);
  }
  UniqueFd lock(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!lock.valid()) return SystemError("open " + dir, errno);
  if (::flock(lock.get(), LOCK_EX) != 0) return SystemError("lock " + dir, errno);
  bool bound = false;
  while (::mount("", dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0) {
    if (errno != EINVAL || bound) return SystemError("make " + dir + " a shared mount", errno);
    if (::mount(dir.c_str(), dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0) {
      return SystemError("bind-mount " + dir + " onto itself", errno);
    }
    bound = true;
  }
  return Status::Ok();  // the lock is released when `lock` closes
}

// Sets the loopback of the calling thread's namespace up (the way `ip netns add` leaves it
// down, but every user of a namespace wants 127.0.0.1). An ioctl keeps this library free of
// netlink.
Status SetLoopbackUp() {
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return SystemError("open a socket to set lo up", errno);
  struct ifreq req {};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) return SystemError("read flags of lo", errno);
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (::ioctl(sock.get(), SIOCSIFFLAGS, &req) != 0) return SystemError("set lo up", errno);
  return Status::Ok();
}

// On a dedicated thread: a new network namespace, bound to `path`, with lo up.
Status MakeAndBindNamespace(const std::string& path) {
  Status result;
  std::thread worker([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      result = SystemError("create a network namespace", errno);
      return;
    }
    // thread-self: the namespace of this thread, not of the process's main thread.
    if (::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) {
      result = SystemError("bind-mount the new network namespace to " + path, errno);
      return;
    }
    result = SetLoopbackUp();
  });
  worker.join();
  return result;
}

}  // namespace

Status Create(const std::string& name) {
  RETURN_IF_ERROR(ValidateName(name));
  std::string context = "create network namespace " + Quote(name);
  RETURN_IF_ERROR(EnsureSharedRunDir().WithContext(context));
  std::string path = PathFor(name);
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
  if (!file.valid()) {
    if (errno == EEXIST)
      return AlreadyExistsError("network namespace " + Quote(name) + " already exists");
    return SystemError(context + ": create " + path, errno);
  }
  file.reset();
  Status st = MakeAndBindNamespace(path);
  if (!st.ok()) {
    ::umount2(path.c_str(), MNT_DETACH);
    ::unlink(path.c_str());
    return st.WithContext(context);
  }
  return Status::Ok();
}

Status Delete(const std::string& name) {
  RETURN_IF_ERROR(ValidateName(name));
  std::string path = PathFor(name);
  // EINVAL: not a mount point (a half-created name); ENOENT: already gone. Both are fine.
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return SystemError("delete network namespace " + Quote(name) + ": unmount " + path, errno);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return SystemError("delete network namespace " + Quote(name) + ": remove " + path, errno);
  }
  return Status::Ok();
}

std::vector<std::string> List(std::string_view prefix) {
  std::vector<std::string> names;
  std::string dir(kRunDir);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n(e->d_name);
    if (n == "." || n == ".." || !StartsWith(n, prefix)) continue;
    names.emplace_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace egret::netns
