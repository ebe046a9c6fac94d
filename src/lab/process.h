// Processes of a lab: daemons started inside a network namespace (fork → setns → setsid →
// exec), short commands run there with captured output (the CNI plugin), `lab exec`, and
// teardown by recorded PID. A PID is only ever signalled while its start time still matches
// the record, so a PID reused by an unrelated process is left alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/unique_fd.h"
#include "lab/lab_state.h"

namespace egret::lab {

// The running process `pid` as a record (its start time read from /proc/<pid>/stat);
// NotFound when there is no such process.
StatusOr<ProcessRecord> IdentifyProcess(int pid);
// Whether the recorded process still runs: same PID and start time, and not a zombie.
bool IsRunning(const ProcessRecord& p);

// The path of the running egret binary; daemons and the CNI plugin are found beside it.
StatusOr<std::string> SelfExecutable();

struct SpawnOptions {
  std::string what;               // for messages: "controller", "agent of node n1"
  std::string netns_path;         // "" = the caller's namespace
  std::vector<std::string> argv;  // argv[0] is the program path (no PATH search)
  std::string log_path;           // stdout and stderr are appended here
  // The child gets the write end of a pipe as fd 3 and signals readiness by writing to it
  // (`--ready-fd 3`); the read end is returned.
  bool ready_pipe = false;
};

struct Spawned {
  ProcessRecord process;
  UniqueFd ready;  // read end of the ready pipe, when asked for
};

// Starts a daemon: a new session, stdin /dev/null, inside the namespace. Returns once the
// program was exec'd; a failing setns or exec is reported as the error.
StatusOr<Spawned> SpawnDaemon(const SpawnOptions& options);

// Waits for the first byte on a ready pipe. Unavailable when the writer closed it first (the
// daemon died), DeadlineExceeded on timeout.
Status WaitForReadyPipe(int fd, std::chrono::milliseconds timeout, std::string_view what);

// Waits until the recorded process has exited (Ok at once when it is not running), without
// signalling it; DeadlineExceeded when it still runs after `timeout`. Works for processes that
// are not the caller's children (a pidfd, so no polling of /proc).
Status WaitForExit(const ProcessRecord& process, std::chrono::milliseconds timeout);

// SIGTERM to every process that still runs; after `grace`, SIGKILL to the rest; returns once
// all are gone or `grace` more has passed (then the survivors are listed in the error).
Status TerminateAll(const std::vector<ProcessRecord>& processes, std::chrono::milliseconds grace);

// Every process (other than the caller) whose network namespace has one of these inode
// numbers: how teardown finds what a crashed lab left running.
std::vector<ProcessRecord> ProcessesInNetns(const std::set<uint64_t>& netns_inodes);

struct RunOptions {
  std::string netns_path;
  std::vector<std::string> argv;  // argv[0] is the program path
  std::vector<std::string> env;   // the complete environment, "KEY=VALUE"
  std::string stdin_data;
  std::chrono::milliseconds timeout{30000};
};

struct RunResult {
  int exit_code = 0;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Runs a command to completion inside the namespace, capturing stdout and stderr; on timeout
// the command is killed and DeadlineExceeded returned.
StatusOr<RunResult> RunCaptured(const RunOptions& options);

// `lab exec`: runs argv (PATH search) inside the namespace with the terminal's stdio, in a
// private mount namespace whose /sys shows the target's interfaces. Returns its exit code.
StatusOr<int> ExecInNetns(const std::string& netns_path, const std::vector<std::string>& argv);

}  // namespace egret::lab
