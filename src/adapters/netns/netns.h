// Network namespaces as handles: open one, create and delete named ones (the way `ip netns add`
// and `ip netns del` do, so both tools see the same namespaces), list them, and run code inside
// one.
//
// The calling thread never changes namespace. Whatever must happen inside a namespace runs on a
// short-lived dedicated thread that setns()'d (or unshare()'d) into it and then exits, so no
// thread ever has to be switched back. Sockets keep the namespace they were created in, so a
// socket opened through RunIn stays bound to that namespace on any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/unique_fd.h"

namespace egret::netns {

// Where named namespaces live, as bind mounts of namespace files.
inline constexpr std::string_view kRunDir = "/run/netns";

// A move-only handle on a network namespace: an open namespace file.
class NetNs {
 public:
  // `name_or_path` without '/' names a namespace in kRunDir; with '/' it is a path to a namespace
  // file (/proc/PID/ns/net, a bind mount elsewhere). NotFound when it does not exist; Invalid
  // when the name is malformed or the file is not a network namespace.
  static StatusOr<NetNs> Open(const std::string& name_or_path);
  // The calling thread's namespace (/proc/thread-self/ns/net).
  static StatusOr<NetNs> Current();

  int fd() const { return fd_.get(); }
  // The path it was opened from, for messages.
  const std::string& path() const { return path_; }

 private:
  NetNs(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

// A namespace name must be a plain file name: non-empty, at most 255 bytes, no '/', not "." or
// "..". Invalid otherwise, saying what is wrong.
Status ValidateName(std::string_view name);

// "/run/netns/NAME" for a name, the path itself when it contains '/'.
std::string PathFor(std::string_view name_or_path);

// Like `ip netns add NAME`: makes kRunDir a shared mount point if it is not one yet, creates a
// new network namespace on a dedicated thread, bind-mounts it to kRunDir/NAME and sets its
// loopback up. AlreadyExists when the name is taken. On failure nothing is left behind.
Status Create(const std::string& name);

// Like `ip netns del NAME`: detaches the bind mount and removes the file. Processes and sockets
// inside keep the namespace alive until they end. Ok when the namespace does not exist.
Status Delete(const std::string& name);

// Names in kRunDir that start with `prefix`, sorted. Empty when the directory does not exist.
std::vector<std::string> List(std::string_view prefix);

// Runs fn on a dedicated thread that has joined `ns` and returns fn's status (or the setns
// error). Blocks until fn returns. fn must not start threads that expect to outlive it in ns.
Status RunIn(const NetNs& ns, const std::function<Status()>& fn);

// Writes /proc/sys/KEY inside ns. KEY uses '/' separators ("net/ipv4/ip_forward"), because
// interface names may contain dots ("net/ipv4/conf/egret.vxlan/rp_filter").
Status SetSysctl(const NetNs& ns, const std::string& key, const std::string& value);
// Reads /proc/sys/KEY inside ns, without the trailing newline.
StatusOr<std::string> GetSysctl(const NetNs& ns, const std::string& key);

}  // namespace egret::netns
