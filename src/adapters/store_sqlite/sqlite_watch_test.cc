// SqliteStore watch and compaction: order and completeness under a concurrent writer, resume
// across reopen, kGone after compaction, automatic compaction, kind filters.
#include <gtest/gtest.h>

#include <thread>

#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_test_util.h"

namespace egret::adapters {
namespace {

using namespace store_testing;  // NOLINT: test helpers
using std::chrono::milliseconds;

// Generous: only reached when something is broken; a passing test never waits this long.
constexpr milliseconds kDeadline(10000);

std::unique_ptr<SqliteStore> MustOpen(const std::string& path, int64_t retained = 100000) {
  auto store = SqliteStore::Open(path, StoreOptions(retained));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Reads from `stream` until `n` events arrived or the deadline passed.
std::vector<ports::WatchEvent> Collect(ports::WatchStream& stream, size_t n) {
  std::vector<ports::WatchEvent> all;
  auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (all.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto batch = stream.Next(milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) break;
    all.insert(all.end(), batch->begin(), batch->end());
  }
  return all;
}

std::vector<int64_t> Versions(const std::vector<ports::WatchEvent>& events) {
  std::vector<int64_t> out;
  for (const auto& e : events) out.push_back(e.object.resource_version);
  return out;
}

TEST(SqliteWatch, DeliversEventTypesWithDocuments) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("ConfigMap", 0);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(store->Commit({Create(Key("ns", "a"), "1")}).ok());
  ASSERT_TRUE(store->Commit({Put(Key("ns", "a"), "2")}).ok());
  ASSERT_TRUE(store->Commit({Delete(Key("ns", "a"))}).ok());
  auto events = Collect(**watch, 3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, ports::EventType::kAdded);
  EXPECT_EQ(events[1].type, ports::EventType::kModified);
  EXPECT_EQ(events[2].type, ports::EventType::kDeleted);
  EXPECT_EQ(Versions(events), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(events[2].object.key, Key("ns", "a"));
  // The deletion carries the last state, stamped with the deletion's version.
  EXPECT_EQ(Meta(events[2].object.json, "resourceVersion"), doc::Value("3"));
  EXPECT_EQ(*Parse(events[2].object.json).Find("data"), Parse(R"({"k":"2"})"));
}

TEST(SqliteWatch, ConcurrentWriterIsSeenInOrderWithoutGaps) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("", store->CurrentVersion());
  ASSERT_TRUE(watch.ok());
  constexpr int kWrites = 300;
  std::vector<int64_t> acked;
  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      auto key = Key("ns", "obj-" + std::to_string(i % 17));
      auto out = store->Commit({Put(key, std::to_string(i))});
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      acked.push_back((*out)[0].resource_version);
    }
  });
  auto events = Collect(**watch, kWrites);
  writer.join();
  EXPECT_EQ(Versions(events), acked);  // same versions, same order: nothing lost or reordered
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LT(events[i - 1].object.resource_version, events[i].object.resource_version);
  }
}

TEST(SqliteWatch, NextTimesOutEmptyWhenNothingHappens) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("", 0);
  ASSERT_TRUE(watch.ok());
  auto events = (*watch)->Next(milliseconds(20));
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST(SqliteWatch, KindFilterSkipsOtherKinds) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("Secret", 0);
  ASSERT_TRUE(watch.ok());
  ASSERT_TRUE(store
                  ->Commit({Create(Key("ns", "a"), "1"), Create(Key("ns", "s", "Secret"), "1"),
                            Create(Key("ns", "b"), "1")})
                  .ok());
  auto events = Collect(**watch, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].object.key, Key("ns", "s", "Secret"));
  EXPECT_TRUE((*watch)->Next(milliseconds(0))->empty());
}

TEST(SqliteWatch, ResumesAfterReopenWithExactlyTheLaterEvents) {
  TempDir dir;
  int64_t resume_from = 0;
  std::vector<int64_t> later;
  {
    auto store = MustOpen(dir.File("s.db"));
    for (int i = 0; i < 10; ++i) {
      auto out = store->Commit({Create(Key("ns", "o" + std::to_string(i)), "1")});
      ASSERT_TRUE(out.ok());
      if (i == 4) resume_from = (*out)[0].resource_version;
      if (i > 4) later.push_back((*out)[0].resource_version);
    }
  }
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("", resume_from);
  ASSERT_TRUE(watch.ok());
  auto events = Collect(**watch, later.size());
  EXPECT_EQ(Versions(events), later);
  EXPECT_TRUE((*watch)->Next(milliseconds(0))->empty());
  // And it keeps going with writes of the new process.
  ASSERT_TRUE(store->Commit({Create(Key("ns", "new"), "1")}).ok());
  auto next = Collect(**watch, 1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].object.key, Key("ns", "new"));
}

TEST(SqliteWatch, CompactionMakesOlderVersionsGone) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store->Commit({Put(Key("ns", "a"), std::to_string(i))}).ok());
  }
  auto behind = store->Watch("", 1);  // created before the compaction, not yet read
  ASSERT_TRUE(behind.ok());
  ASSERT_TRUE(store->Compact(3).ok());
  EXPECT_EQ(store->CompactedVersion(), 3);
  auto old = store->Watch("", 2);
  ASSERT_EQ(old.status().code(), Code::kGone);
  EXPECT_NE(old.status().message().find("relist"), std::string::npos);
  auto from_zero = store->Watch("", 0);
  EXPECT_EQ(from_zero.status().code(), Code::kGone);
  auto lagging = (*behind)->Next(milliseconds(0));
  EXPECT_EQ(lagging.status().code(), Code::kGone);
  auto at_horizon = store->Watch("", 3);
  ASSERT_TRUE(at_horizon.ok());
  EXPECT_EQ(Versions(Collect(**at_horizon, 2)), (std::vector<int64_t>{4, 5}));
}

TEST(SqliteWatch, CompactionHorizonSurvivesReopen) {
  TempDir dir;
  {
    auto store = MustOpen(dir.File("s.db"));
    for (int i = 0; i < 4; ++i)
      ASSERT_TRUE(store->Commit({Put(Key("ns", "a"), "x" + std::to_string(i))}).ok());
    ASSERT_TRUE(store->Compact(2).ok());
  }
  auto store = MustOpen(dir.File("s.db"));
  EXPECT_EQ(store->CompactedVersion(), 2);
  EXPECT_EQ(store->Watch("", 1).status().code(), Code::kGone);
}

TEST(SqliteWatch, CompactRejectsFutureVersions) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store->Commit({Create(Key("ns", "a"), "1")}).ok());
  Status st = store->Compact(2);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("version 2 is outside 0..1"), std::string::npos);
  EXPECT_TRUE(store->Compact(0).ok());  // at or below the horizon: nothing to do
}

TEST(SqliteWatch, AutomaticCompactionKeepsTheNewestEvents) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"), /*retained=*/10);
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(store->Commit({Put(Key("ns", "a"), std::to_string(i))}).ok());
  }
  EXPECT_EQ(store->CurrentVersion(), 25);
  EXPECT_EQ(store->CompactedVersion(), 15);
  EXPECT_EQ(store->Watch("", 14).status().code(), Code::kGone);
  auto watch = store->Watch("", 15);
  ASSERT_TRUE(watch.ok());
  auto events = Collect(**watch, 10);
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events.front().object.resource_version, 16);
  EXPECT_EQ(events.back().object.resource_version, 25);
}

TEST(SqliteWatch, StreamReportsClosedStore) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  auto watch = store->Watch("", 0);
  ASSERT_TRUE(watch.ok());
  store.reset();
  auto next = (*watch)->Next(milliseconds(0));
  ASSERT_EQ(next.status().code(), Code::kUnavailable);
  EXPECT_NE(next.status().message().find("is closed"), std::string::npos);
}

TEST(SqliteWatch, NegativeVersionIsInvalid) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  EXPECT_EQ(store->Watch("", -1).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace egret::adapters
