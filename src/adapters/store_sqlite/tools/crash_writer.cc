// egret_store_crash_writer PATH PREFIX: the victim of the crash test (sqlite_crash_test.cc).
// Opens the store at PATH and commits forever, two new objects <name>-a and <name>-b per batch
// (name = PREFIX-<n>); after each Commit returns it prints "ACK <name> <version-a> <version-b>"
// and flushes, so every line the test reads is a write the store acknowledged. The test kills
// it with SIGKILL mid-stream.
#include <cstdio>
#include <string>

#include "adapters/store_sqlite/sqlite_store.h"

namespace {

std::string Document(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
         R"(","namespace":"crash"},"data":{"payload":")" + std::string(256, 'x') + R"("}})";
}

egret::ports::Write CreateWrite(const std::string& name) {
  egret::ports::Write w;
  w.op = egret::ports::Write::Op::kCreate;
  w.key = {"ConfigMap", "crash", name};
  w.json = Document(name);
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PATH PREFIX\n", argv[0]);
    return 2;
  }
  auto store = egret::adapters::SqliteStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  for (long i = 0;; ++i) {
    std::string name = std::string(argv[2]) + "-" + std::to_string(i);
    auto written = (*store)->Commit({CreateWrite(name + "-a"), CreateWrite(name + "-b")});
    if (!written.ok()) {
      std::fprintf(stderr, "%s\n", written.status().ToString().c_str());
      return 1;
    }
    std::printf("ACK %s %lld %lld\n", name.c_str(),
                static_cast<long long>((*written)[0].resource_version),
                static_cast<long long>((*written)[1].resource_version));
    std::fflush(stdout);
  }
}
