// `egret lab serve`: the probe server process the lab starts in pods and external hosts.
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "common/flags.h"
#include "common/strings.h"
#include "lab/probe.h"

namespace egret::lab {

int RunServeCommand(const std::vector<std::string>& args) {
  static const std::vector<FlagSpec> kSpecs = {
      {"listen", "", true, false, "ports to serve: tcp:80,udp:80,ws:8080,..."},
      {"ready-fd", "", true, false, "write one byte to this fd once listening"},
  };
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "error: %s\n", st.message().c_str());
    return 1;
  };
  auto flags = ParseFlags(kSpecs, args);
  if (!flags.ok()) return fail(flags.status());
  auto ports = ParseServePorts(flags->Get("listen"), "--listen", /*allow_names=*/true);
  if (!ports.ok()) return fail(ports.status());
  int ready_fd = -1;
  if (flags->Has("ready-fd")) {
    auto fd = ParseIntFlag(flags->Get("ready-fd"), "--ready-fd", 0, 1 << 20);
    if (!fd.ok()) return fail(fd.status());
    ready_fd = *fd;
  }
  // Block the stop signals before the server thread starts, so only sigwait receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto server = ProbeServer::Start(*ports);
  if (!server.ok()) return fail(server.status());
  std::fprintf(stderr, "probe server listening on %s\n", ServePortsText(*ports).c_str());
  if (ready_fd >= 0) {
    char byte = 1;
    (void)!::write(ready_fd, &byte, 1);
    ::close(ready_fd);
  }
  int sig = 0;
  sigwait(&stop, &sig);
  server->reset();
  return 0;
}

}  // namespace egret::lab
