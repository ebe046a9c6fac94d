// Processes started inside namespaces (root only): daemons, captured commands, exec, and
// finding processes by the namespace they run in.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "adapters/netns/temp_netns.h"
#include "common/strings.h"
#include "lab/process.h"
#include "lab/process_util.h"

namespace egret::lab {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

using std::chrono::milliseconds;

std::string TempLog() {
  char path[] = "/tmp/egret-lab-test-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd >= 0) ::close(fd);
  return path;
}

// Stops what a test started, also when the test fails.
struct ProcessGuard {
  std::vector<ProcessRecord> processes;
  ~ProcessGuard() { (void)TerminateAll(processes, milliseconds(1000)); }
};

TEST(KernelLabProcess, DaemonRunsInTheNamespaceAndIsFoundAndStopped) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("proc-daemon");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  std::string log = TempLog();
  auto spawned =
      SpawnDaemon({"sleeper", netns::PathFor(ns->name()), {"/bin/sleep", "1000"}, log, false});
  ASSERT_TRUE(spawned.ok()) << spawned.status().ToString();
  ProcessGuard guard{{spawned->process}};
  EXPECT_TRUE(IsRunning(spawned->process));
  auto inode = NetnsInodeOfPath(netns::PathFor(ns->name()));
  ASSERT_TRUE(inode.has_value());
  EXPECT_EQ(NetnsInodeOfProcess(spawned->process.pid), inode);
  std::vector<ProcessRecord> found = ProcessesInNetns({*inode});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], spawned->process);

  EXPECT_TRUE(TerminateAll({spawned->process}, milliseconds(2000)).ok());
  EXPECT_FALSE(IsRunning(spawned->process));
  EXPECT_TRUE(ProcessesInNetns({*inode}).empty());
  ::unlink(log.c_str());
}

TEST(KernelLabProcess, ReadyPipeSignalsReadinessOrDeath) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("proc-ready");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  std::string log = TempLog();
  auto ready = SpawnDaemon({"ready",
                            netns::PathFor(ns->name()),
                            {"/bin/sh", "-c", "echo x >&3; exec sleep 1000"},
                            log,
                            true});
  ASSERT_TRUE(ready.ok()) << ready.status().ToString();
  ProcessGuard guard{{ready->process}};
  EXPECT_TRUE(WaitForReadyPipe(ready->ready.get(), milliseconds(5000), "ready").ok());

  auto dies =
      SpawnDaemon({"dies", netns::PathFor(ns->name()), {"/bin/sh", "-c", "exit 3"}, log, true});
  if (dies.ok()) {  // it may already be gone when the spawn looks for it
    Status st = WaitForReadyPipe(dies->ready.get(), milliseconds(5000), "the dying one");
    EXPECT_EQ(st.code(), Code::kUnavailable);
    EXPECT_NE(st.message().find("the dying one exited before it became ready"), std::string::npos);
  }
  ::unlink(log.c_str());
}

TEST(KernelLabProcess, RunCapturedRunsInsideTheNamespace) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("proc-run");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto r = RunCaptured({netns::PathFor(ns->name()),
                        {"/bin/sh", "-c", "readlink /proc/self/ns/net; cat; echo oops >&2; exit 4"},
                        {"PATH=/usr/bin:/bin"},
                        "from stdin\n",
                        milliseconds(10000)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto inode = NetnsInodeOfPath(netns::PathFor(ns->name()));
  EXPECT_EQ(r->out, "net:[" + std::to_string(*inode) + "]\nfrom stdin\n");
  EXPECT_EQ(r->err, "oops\n");
  EXPECT_EQ(r->exit_code, 4);
}

TEST(KernelLabProcess, ExecSeesTheNamespaceInSys) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("proc-exec");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  // A fresh namespace holds only loopback; the private /sys must show exactly that.
  auto code = ExecInNetns(netns::PathFor(ns->name()),
                          {"sh", "-c", "test \"$(ls /sys/class/net)\" = lo && exit 7"});
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(*code, 7);
  auto missing = ExecInNetns(netns::PathFor(ns->name()), {"egret-no-such-command"});
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("No such file or directory"), std::string::npos)
      << missing.status().ToString();
}

}  // namespace
}  // namespace egret::lab
