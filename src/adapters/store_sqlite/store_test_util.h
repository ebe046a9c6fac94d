// Helpers shared by the sqlite store tests: a throwaway directory, a settable clock and small
// builders for writes. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/store_sqlite/sqlite_store.h"
#include "doc/json.h"

namespace egret::adapters::store_testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/egret-sqlite-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A clock tests move by hand. Thread-safe.
class FakeClock {
 public:
  explicit FakeClock(int64_t start_ms) : now_(start_ms) {}
  int64_t Now() const { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }
  std::function<int64_t()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  std::atomic<int64_t> now_;
};

inline ports::ObjectKey Key(const std::string& ns, const std::string& name,
                            const std::string& kind = "ConfigMap") {
  return {kind, ns, name};
}

// A ConfigMap-like document: {"apiVersion":"v1","kind":...,"metadata":{...},"data":{"k":value}}.
inline std::string Doc(const ports::ObjectKey& key, const std::string& value) {
  std::string meta = R"({"name":")" + key.name + "\"";
  if (!key.namespace_.empty()) meta += R"(,"namespace":")" + key.namespace_ + "\"";
  meta += "}";
  return R"({"apiVersion":"v1","kind":")" + key.kind + R"(","metadata":)" + meta +
         R"(,"data":{"k":")" + value + "\"}}";
}

inline ports::Write MakeWrite(ports::Write::Op op, const ports::ObjectKey& key, std::string json,
                              std::optional<int64_t> expected = std::nullopt) {
  ports::Write w;
  w.op = op;
  w.key = key;
  w.json = std::move(json);
  w.expected_version = expected;
  return w;
}
inline ports::Write Create(const ports::ObjectKey& key, const std::string& value) {
  return MakeWrite(ports::Write::Op::kCreate, key, Doc(key, value));
}
inline ports::Write Put(const ports::ObjectKey& key, const std::string& value,
                        std::optional<int64_t> expected = std::nullopt) {
  return MakeWrite(ports::Write::Op::kPut, key, Doc(key, value), expected);
}
// A Put of an arbitrary document text.
inline ports::Write PutJson(const ports::ObjectKey& key, std::string json) {
  return MakeWrite(ports::Write::Op::kPut, key, std::move(json));
}
inline ports::Write Delete(const ports::ObjectKey& key,
                           std::optional<int64_t> expected = std::nullopt) {
  return MakeWrite(ports::Write::Op::kDelete, key, "", expected);
}

// Options with a retention and, when given, a clock.
inline SqliteStore::Options StoreOptions(int64_t retained_events,
                                         std::function<int64_t()> clock = nullptr) {
  SqliteStore::Options o;
  o.retained_events = retained_events;
  o.clock = std::move(clock);
  return o;
}

// Parses a stored document (test failure when it does not parse).
inline doc::Value Parse(const std::string& json) {
  auto v = doc::ParseJson(json);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : doc::Value();
}

// metadata.<field> of a stored document.
inline doc::Value Meta(const std::string& json, std::string_view field) {
  doc::Value v = Parse(json);
  const doc::Value* meta = v.Find("metadata");
  const doc::Value* f = meta ? meta->Find(field) : nullptr;
  return f ? *f : doc::Value();
}

}  // namespace egret::adapters::store_testing
