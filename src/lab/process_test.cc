// Process helpers that need no root: captured commands in the caller's namespace, /proc readers.
#include "lab/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "lab/lab_main.h"
#include "lab/process_util.h"

namespace egret::lab {
namespace {

using std::chrono::milliseconds;

TEST(Process, IdentifiesItself) {
  auto self = IdentifyProcess(::getpid());
  ASSERT_TRUE(self.ok());
  EXPECT_GT(self->start_ticks, 0u);
  EXPECT_TRUE(IsRunning(*self));
  EXPECT_FALSE(IsRunning({self->pid, self->start_ticks + 1})) << "a reused PID is not ours";
  EXPECT_FALSE(IsRunning({}));
  EXPECT_TRUE(NetnsInodeOfProcess(::getpid()).has_value());
}

TEST(Process, RunCapturedPassesStdinAndReportsExit) {
  auto r = RunCaptured(
      {"", {"/bin/sh", "-c", "cat; echo err >&2; exit 3"}, {}, "in\n", milliseconds(10000)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "in\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
}

TEST(Process, RunCapturedKillsOnTimeout) {
  auto r = RunCaptured({"", {"/bin/sleep", "30"}, {}, "", milliseconds(100)});
  ASSERT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("did not finish within 100 ms"), std::string::npos);
}

TEST(Process, RunCapturedReportsAMissingProgram) {
  auto r = RunCaptured({"", {"/nonexistent/egret-cni"}, {}, "", milliseconds(1000)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("run /nonexistent/egret-cni"), std::string::npos);
}

TEST(Process, ForeignStartTimeIsNeverSignalled) {
  // TerminateAll only acts on processes whose start time matches; this one does not exist.
  EXPECT_TRUE(TerminateAll({{::getpid(), 1}}, milliseconds(10)).ok());
}

TEST(Process, WaitForExitSeesTheExitWithoutSignalling) {
  auto tmp = std::string(::testing::TempDir()) + "/wait-for-exit.log";
  auto spawned = SpawnDaemon({"sleeper", "", {"/bin/sleep", "30"}, tmp, false});
  ASSERT_TRUE(spawned.ok()) << spawned.status().ToString();
  ProcessRecord p = spawned->process;
  Status st = WaitForExit(p, milliseconds(100));
  EXPECT_EQ(st.code(), Code::kDeadlineExceeded) << st.ToString();
  EXPECT_TRUE(IsRunning(p)) << "waiting does not signal";
  ASSERT_EQ(::kill(p.pid, SIGTERM), 0);
  EXPECT_TRUE(WaitForExit(p, milliseconds(10000)).ok());
  EXPECT_FALSE(IsRunning(p));
  EXPECT_TRUE(WaitForExit(p, milliseconds(0)).ok()) << "a process that is gone: at once";
  EXPECT_TRUE(WaitForExit({::getpid(), 1}, milliseconds(0)).ok()) << "a reused PID is not ours";
}

TEST(LabMain, RefusesBadCommandLines) {
  EXPECT_EQ(RunLab({"bogus"}), 1);
  EXPECT_EQ(RunLab({"down", "--nodes", "3"}), 1);
  EXPECT_EQ(RunLab({"up", "--name", "Bad_Name"}), 1);
  EXPECT_EQ(RunLab({"status", "--", "x"}), 1);
  EXPECT_EQ(RunLab({"node", "restart-agent"}), 1) << "needs NODE";
  EXPECT_EQ(RunLab({"--help"}), 0);
}

}  // namespace
}  // namespace egret::lab
