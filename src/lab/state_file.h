// state.json on disk and the lab's lock. Every command that changes a lab holds the lock for
// its whole run, so concurrent `egret lab` commands on one lab take turns; readers (status,
// probe) read the file without it — it is replaced atomically (write, fsync, rename).
#pragma once

#include <string_view>

#include "common/status.h"
#include "common/unique_fd.h"
#include "lab/lab_plan.h"
#include "lab/lab_state.h"

namespace egret::lab {

class LabLock {
 public:
  // Waits for the lock of the lab at `paths` (its directory must exist). NotFound when the
  // lab does not exist; DeadlineExceeded after `timeout_ms`.
  static StatusOr<LabLock> Acquire(const LabPaths& paths, std::string_view lab, int timeout_ms);

 private:
  explicit LabLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // flock'ed; closing releases it
};

// NotFound (`lab "L" not found ...`) when there is no state file.
StatusOr<LabState> LoadState(const LabPaths& paths, std::string_view lab);
Status SaveState(const LabPaths& paths, const LabState& state);

// The not-found error every command gives for a lab that does not exist.
Status LabNotFound(std::string_view lab);

}  // namespace egret::lab
