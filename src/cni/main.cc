// egret-cni: the CNI plugin binary the container runtime executes (CNI spec 1.1). Everything
// but reading the process's environment and stdin lives in cni_plugin.cc.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "cni/agent_client.h"
#include "cni/cni_plugin.h"
#include "doc/json.h"

extern char** environ;

namespace {

// The CNI_* variables; the plugin reads nothing else from its environment.
egret::cni::CniEnv ReadEnvironment() {
  egret::cni::CniEnv env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || !entry.starts_with("CNI_")) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

// Reads at most kMaxStdinBytes + 1 bytes: one more than allowed is enough to refuse the input.
bool ReadStdin(std::string* out, int* err) {
  char buf[65536];
  while (out->size() <= egret::cni::kMaxStdinBytes) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *err = errno;
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  return true;
}

void Write(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

int main() {
  std::string input;
  int err = 0;
  if (!ReadStdin(&input, &err)) {
    egret::cni::CniError e = egret::cni::MakeCniError(
        egret::cni::code::kIoFailure, "cannot read the network configuration from stdin",
        std::strerror(err));
    Write(egret::doc::ToJson(egret::cni::EncodeCniError(e), {.pretty = true}) + "\n");
    return 1;
  }
  egret::cni::UnixAgentChannel agent;
  egret::cni::PluginOutput out = egret::cni::RunPlugin(ReadEnvironment(), input, agent);
  Write(out.stdout_text);
  std::fflush(stdout);
  return out.exit_code;
}
