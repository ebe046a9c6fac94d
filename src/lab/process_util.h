// Small helpers of the process code: /proc readers and fork-safe argument arrays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace egret::lab {

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); nullopt when the
// process does not exist.
std::optional<uint64_t> ReadStartTicks(int pid);
// Whether /proc/<pid>/stat says the process is a zombie (exited, not yet reaped).
bool IsZombie(int pid);
// The inode of the network namespace of `pid` (from the /proc/<pid>/ns/net link).
std::optional<uint64_t> NetnsInodeOfProcess(int pid);
// The inode of a namespace file such as /run/netns/NAME.
std::optional<uint64_t> NetnsInodeOfPath(const std::string& path);

// Moves a new close-on-exec fd to 10 or above, so that a child's dup2 onto 0-3 never meets it.
int HighFd(int fd);

// A NULL-terminated char* array over strings that outlive it: built before fork, because
// the child may only make async-signal-safe calls.
class CStrings {
 public:
  explicit CStrings(const std::vector<std::string>& items);
  char* const* data() const { return ptrs_.data(); }

 private:
  std::vector<std::string> items_;
  std::vector<char*> ptrs_;
};

}  // namespace egret::lab
