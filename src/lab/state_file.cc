#include "lab/state_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/strings.h"
#include "doc/json.h"

namespace egret::lab {

Status LabNotFound(std::string_view lab) {
  return NotFoundError("lab " + Quote(lab) + " not found (no " + LabPaths::For(lab).State() +
                       "); `egret lab up --name " + std::string(lab) + "` creates it");
}

StatusOr<LabLock> LabLock::Acquire(const LabPaths& paths, std::string_view lab, int timeout_ms) {
  int fd = ::open(paths.Lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == ENOENT) return LabNotFound(lab);
    return ErrnoError("open " + paths.Lock(), errno);
  }
  UniqueFd lock(fd);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool told = false;
  while (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return ErrnoError("lock " + paths.Lock(), errno);
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError("lab " + Quote(lab) +
                                   " is busy: another `egret lab` "
                                   "command held its lock for " +
                                   std::to_string(timeout_ms / 1000) + " s");
    }
    if (!told) {
      std::fprintf(stderr, "waiting for another `egret lab` command on lab %s...\n",
                   Quote(lab).c_str());
      told = true;
    }
    // flock has no timed wait; the holder is another short-lived command.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return LabLock(std::move(lock));
}

StatusOr<LabState> LoadState(const LabPaths& paths, std::string_view lab) {
  std::ifstream in(paths.State());
  if (!in) return LabNotFound(lab);
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = doc::ParseJson(ss.str());
  if (!v.ok()) return v.status().WithContext(paths.State());
  return DecodeState(*v, paths.State());
}

Status SaveState(const LabPaths& paths, const LabState& state) {
  std::string tmp = paths.State() + ".tmp";
  std::string text = doc::ToJson(EncodeState(state), {.pretty = true}) + "\n";
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoError("write " + tmp, errno);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write " + tmp, errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return ErrnoError("fsync " + tmp, errno);
  fd.reset();
  if (::rename(tmp.c_str(), paths.State().c_str()) != 0) {
    return ErrnoError("rename " + tmp, errno);
  }
  return Status::Ok();
}

}  // namespace egret::lab
