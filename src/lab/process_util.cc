#include "lab/process_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace egret::lab {
namespace {

// The fields of /proc/<pid>/stat after the command name, which may itself hold spaces and
// parentheses (hence the last ')').
std::optional<std::vector<std::string>> StatFields(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

}  // namespace

std::optional<uint64_t> ReadStartTicks(int pid) {
  auto fields = StatFields(pid);
  // fields[0] is field 3 (state); starttime is field 22.
  if (!fields || fields->size() < 20) return std::nullopt;
  auto ticks = ParseInt((*fields)[19]);
  if (!ticks || *ticks < 0) return std::nullopt;
  return static_cast<uint64_t>(*ticks);
}

bool IsZombie(int pid) {
  auto fields = StatFields(pid);
  return fields && !fields->empty() && ((*fields)[0] == "Z" || (*fields)[0] == "X");
}

std::optional<uint64_t> NetnsInodeOfProcess(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
  char buf[64];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return std::nullopt;
  std::string_view link(buf, static_cast<size_t>(n));  // "net:[4026532281]"
  if (!link.starts_with("net:[") || !link.ends_with("]")) return std::nullopt;
  auto inode = ParseInt(link.substr(5, link.size() - 6));
  if (!inode || *inode < 0) return std::nullopt;
  return static_cast<uint64_t>(*inode);
}

std::optional<uint64_t> NetnsInodeOfPath(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_ino);
}

int HighFd(int fd) {
  if (fd < 0 || fd >= 10) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (moved < 0) return fd;
  ::close(fd);
  return moved;
}

CStrings::CStrings(const std::vector<std::string>& items) : items_(items) {
  for (std::string& s : items_) ptrs_.push_back(s.data());
  ptrs_.push_back(nullptr);
}

}  // namespace egret::lab
