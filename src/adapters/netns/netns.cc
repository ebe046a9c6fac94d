// Handles on namespaces, running code inside one, and sysctls. Creating and deleting named
// namespaces is in run_dir.cc.
#include "adapters/netns/netns.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "adapters/netns/sys_error.h"
#include "common/strings.h"

namespace egret::netns {

Status SystemError(std::string_view context, int err) {
  std::string m(context);
  m += ": ";
  m += std::strerror(err);
  switch (err) {
    case ENOENT:
      return NotFoundError(std::move(m));
    case EEXIST:
      return AlreadyExistsError(std::move(m));
    case EPERM:
    case EACCES:
      return {Code::kUnauthorized, std::move(m)};
    case EINVAL:
      return InvalidError(std::move(m));
    case EBUSY:
      return FailedPreconditionError(std::move(m));
    default:
      return InternalError(std::move(m));
  }
}

Status ValidateName(std::string_view name) {
  if (name.empty()) return InvalidError("network namespace name must not be empty");
  if (name.size() > 255) {
    return InvalidError("network namespace name " + Quote(name) + " is longer than 255 bytes");
  }
  if (name == "." || name == ".." || name.find('/') != std::string_view::npos) {
    return InvalidError("network namespace name " + Quote(name) +
                        " must be a plain file name (no '/', not \".\" or \"..\")");
  }
  return Status::Ok();
}

std::string PathFor(std::string_view name_or_path) {
  if (name_or_path.find('/') != std::string_view::npos) return std::string(name_or_path);
  std::string path(kRunDir);
  path += '/';
  path += name_or_path;
  return path;
}

StatusOr<NetNs> NetNs::Open(const std::string& name_or_path) {
  if (name_or_path.find('/') == std::string::npos) RETURN_IF_ERROR(ValidateName(name_or_path));
  std::string path = PathFor(name_or_path);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    int err = errno;
    if (err == ENOENT) {
      return NotFoundError("network namespace " + Quote(name_or_path) + " not found (no " + path +
                           ")");
    }
    return SystemError("open network namespace " + path, err);
  }
  int type = ::ioctl(fd.get(), NS_GET_NSTYPE);
  if (type != CLONE_NEWNET) {
    return InvalidError(path + " is not a network namespace file");
  }
  return NetNs(std::move(fd), std::move(path));
}

StatusOr<NetNs> NetNs::Current() { return Open("/proc/thread-self/ns/net"); }

Status RunIn(const NetNs& ns, const std::function<Status()>& fn) {
  Status result;
  // The thread exits right after fn, so its namespace never has to be restored.
  std::thread worker([&] {
    if (::setns(ns.fd(), CLONE_NEWNET) != 0) {
      result = SystemError("enter network namespace " + ns.path(), errno);
      return;
    }
    result = fn();
  });
  worker.join();
  return result;
}

namespace {

Status ValidateSysctlKey(const std::string& key) {
  bool ok = !key.empty() && key.front() != '/' && key.find("..") == std::string::npos;
  for (char c : key) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-' || c == '.' || c == '/';
    ok = ok && allowed;
  }
  if (!ok) {
    return InvalidError("sysctl key " + Quote(key) +
                        " must be a path below /proc/sys like \"net/ipv4/ip_forward\"");
  }
  return Status::Ok();
}

}  // namespace

Status SetSysctl(const NetNs& ns, const std::string& key, const std::string& value) {
  RETURN_IF_ERROR(ValidateSysctlKey(key));
  std::string context = "set sysctl " + key + "=" + value + " in " + ns.path();
  return RunIn(ns, [&]() -> Status {
    // /proc/sys/net resolves against the namespace of the opening thread.
    std::string path = "/proc/sys/" + key;
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) return SystemError(context, errno);
    ssize_t n = ::write(fd.get(), value.data(), value.size());
    if (n < 0) return SystemError(context, errno);
    if (static_cast<size_t>(n) != value.size()) return InternalError(context + ": short write");
    return Status::Ok();
  });
}

StatusOr<std::string> GetSysctl(const NetNs& ns, const std::string& key) {
  RETURN_IF_ERROR(ValidateSysctlKey(key));
  std::string context = "read sysctl " + key + " in " + ns.path();
  std::string value;
  Status st = RunIn(ns, [&]() -> Status {
    std::string path = "/proc/sys/" + key;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return SystemError(context, errno);
    char buf[4096];
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) return SystemError(context, errno);
    value.assign(buf, static_cast<size_t>(n));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  while (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

}  // namespace egret::netns
