// Durability under kill -9: a child process (tools/crash_writer.cc) commits in a loop and
// acknowledges each commit on a pipe; the test kills it mid-stream, reopens the store and checks
// that every acknowledged write is there with its acknowledged version and that the store is
// consistent. Two rounds: the second writes into a store that already survived one crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <sstream>

#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_test_util.h"
#include "common/unique_fd.h"

#ifndef EGRET_CRASH_WRITER
#error "EGRET_CRASH_WRITER must name the crash writer binary (see CMakeLists.txt)"
#endif

namespace egret::adapters {
namespace {

using namespace store_testing;  // NOLINT: test helpers
using Clock = std::chrono::steady_clock;

constexpr size_t kAcksBeforeKill = 200;
constexpr std::chrono::seconds kDeadline(60);

struct Ack {
  int64_t version_a = 0;
  int64_t version_b = 0;
};

// The writer process with its stdout on a pipe.
struct Child {
  pid_t pid = -1;
  UniqueFd out;
};

Child Spawn(const std::string& store_path, const std::string& prefix) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed";
    return {};
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the new descriptor
    execl(EGRET_CRASH_WRITER, EGRET_CRASH_WRITER, store_path.c_str(), prefix.c_str(), nullptr);
    _exit(127);
  }
  close(fds[1]);
  EXPECT_GT(pid, 0) << "fork failed";
  return {pid, UniqueFd(fds[0])};
}

// Reads complete lines from `fd` into `acks` until `want` acks arrived (want = 0: until EOF) or
// the deadline passed. A trailing partial line is not an acknowledgement and is dropped.
void ReadAcks(int fd, size_t want, Clock::time_point deadline, std::string* buffer,
              std::map<std::string, Ack>* acks) {
  while (want == 0 || acks->size() < want) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "deadline passed with " << acks->size() << " acks";
      return;
    }
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return;  // EOF: the writer is gone
    buffer->append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer->find('\n')) != std::string::npos) {
      std::istringstream line(buffer->substr(0, nl));
      buffer->erase(0, nl + 1);
      std::string tag, name;
      Ack ack;
      ASSERT_TRUE(line >> tag >> name >> ack.version_a >> ack.version_b) << "bad line";
      ASSERT_EQ(tag, "ACK");
      (*acks)[name] = ack;
    }
  }
}

// Runs the writer until it acknowledged kAcksBeforeKill batches, kills it with SIGKILL and
// returns every batch it acknowledged.
std::map<std::string, Ack> RunAndKill(const std::string& store_path, const std::string& prefix) {
  Child child = Spawn(store_path, prefix);
  std::map<std::string, Ack> acks;
  if (child.pid <= 0) return acks;
  std::string buffer;
  ReadAcks(child.out.get(), kAcksBeforeKill, Clock::now() + kDeadline, &buffer, &acks);
  kill(child.pid, SIGKILL);
  // Lines already in the pipe were acknowledged before the kill: they count too.
  ReadAcks(child.out.get(), 0, Clock::now() + kDeadline, &buffer, &acks);
  int status = 0;
  EXPECT_EQ(waitpid(child.pid, &status, 0), child.pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer stopped on its own (status " << status << ") instead of being killed";
  EXPECT_GE(acks.size(), kAcksBeforeKill);
  return acks;
}

void ExpectAcknowledged(SqliteStore& store, const std::map<std::string, Ack>& acks) {
  for (const auto& [name, ack] : acks) {
    auto a = store.Get(Key("crash", name + "-a"));
    auto b = store.Get(Key("crash", name + "-b"));
    ASSERT_TRUE(a.ok() && b.ok()) << name << ": " << a.status().ToString() << " / "
                                  << b.status().ToString();
    EXPECT_EQ(a->resource_version, ack.version_a) << name;
    EXPECT_EQ(b->resource_version, ack.version_b) << name;
  }
}

// Objects come in complete pairs, every object has its ADDED event, and the newest event is
// the store's current version.
void ExpectConsistent(SqliteStore& store, size_t acked_batches, size_t crashes) {
  auto list = store.List("ConfigMap", "crash");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  size_t objects = list->items.size();
  EXPECT_EQ(objects % 2, 0u) << "a batch was applied in part";
  // At most the one batch in flight at each kill was committed without being acknowledged.
  EXPECT_GE(objects, 2 * acked_batches);
  EXPECT_LE(objects, 2 * (acked_batches + crashes));
  auto watch = store.Watch("", 0);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  std::vector<ports::WatchEvent> events;
  while (true) {
    auto batch = (*watch)->Next(std::chrono::milliseconds(0));
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (batch->empty()) break;
    events.insert(events.end(), batch->begin(), batch->end());
  }
  EXPECT_EQ(events.size(), objects);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().object.resource_version, store.CurrentVersion());
  EXPECT_EQ(list->resource_version, store.CurrentVersion());
}

TEST(SqliteCrash, AcknowledgedWritesSurviveKill9) {
  TempDir dir;
  std::string path = dir.File("crash.db");
  std::map<std::string, Ack> acked;
  size_t crashes = 0;
  for (std::string round : {"r1", "r2"}) {
    std::map<std::string, Ack> acks = RunAndKill(path, round);
    acked.insert(acks.begin(), acks.end());
    ++crashes;
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ExpectAcknowledged(**store, acked);
    ExpectConsistent(**store, acked.size(), crashes);
  }
}

}  // namespace
}  // namespace egret::adapters
